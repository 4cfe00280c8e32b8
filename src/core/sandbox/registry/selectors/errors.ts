// A selector that kube-apiserver would refuse. The API server turns it into 400 BadRequest with
// this exact message (apierrors.NewBadRequest(err.Error())).
import { ApiError } from '../../apiserver/errors.js';

export class SelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectorError';
  }

  toApiError(): ApiError {
    return ApiError.badRequest(this.message);
  }
}
