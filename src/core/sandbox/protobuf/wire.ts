// Protobuf wire format primitives (varints, length-delimited fields). Varints are BigInt so int64
// values and negative int32s (sign-extended to ten bytes) survive.

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_FIXED32 = 5;

export class ProtobufWireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtobufWireError';
  }
}

export interface WireField {
  number: number;
  wireType: number;
  /** Varint value (wire type 0). */
  varint?: bigint;
  /** Payload of length-delimited (2) and fixed (1, 5) fields. */
  bytes?: Uint8Array;
}

export class ProtoReader {
  private pos = 0;

  constructor(private readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw new ProtobufWireError('truncated varint');
      const byte = this.buf[this.pos++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
    throw new ProtobufWireError('varint longer than 10 bytes');
  }

  private take(length: number): Uint8Array {
    if (length < 0 || this.pos + length > this.buf.length) {
      throw new ProtobufWireError(`field of ${length} bytes runs past the end of its message`);
    }
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  field(): WireField {
    const tag = this.varint();
    const number = Number(tag >> 3n);
    const wireType = Number(tag & 7n);
    if (number === 0) throw new ProtobufWireError('field number 0 is invalid');
    switch (wireType) {
      case WIRE_VARINT:
        return { number, wireType, varint: this.varint() };
      case WIRE_BYTES:
        return { number, wireType, bytes: this.take(Number(this.varint())) };
      case WIRE_FIXED64:
        return { number, wireType, bytes: this.take(8) };
      case WIRE_FIXED32:
        return { number, wireType, bytes: this.take(4) };
      default:
        throw new ProtobufWireError(`unsupported wire type ${wireType} (field ${number})`);
    }
  }
}

export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  private push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  varint(value: bigint): void {
    let v = BigInt.asUintN(64, value);
    const out: number[] = [];
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    this.push(Uint8Array.from(out));
  }

  tag(number: number, wireType: number): void {
    this.varint(BigInt(number) * 8n + BigInt(wireType));
  }

  bytesField(number: number, payload: Uint8Array): void {
    this.tag(number, WIRE_BYTES);
    this.varint(BigInt(payload.length));
    this.push(payload);
  }

  varintField(number: number, value: bigint): void {
    this.tag(number, WIRE_VARINT);
    this.varint(value);
  }

  fixedField(number: number, wireType: typeof WIRE_FIXED32 | typeof WIRE_FIXED64, payload: Uint8Array): void {
    this.tag(number, wireType);
    this.push(payload);
  }

  raw(bytes: Uint8Array): void {
    this.push(bytes);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}
