// Data the panel fetches on demand (events, replica sets, endpoints...), reloaded when its key
// changes: the key includes the object's resourceVersion, so a watched object's update refreshes it.
import { useEffect, useState } from 'react';

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
}

export function useRpcData<T>(key: string, load: () => Promise<T>): Loaded<T> {
  const [state, setState] = useState<Loaded<T> & { key?: string }>({ data: undefined, error: undefined });
  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setState({ data, error: undefined, key }),
      (error: unknown) => live && setState({ data: undefined, error: error instanceof Error ? error.message : String(error), key }),
    );
    return () => {
      live = false;
    };
    // `load` is a new closure every render; the key says when it means something new.
  }, [key]);
  return state;
}
