// The part of the WebAssembly JS API that line-index.ts uses. Node has it as a global, but its
// types come with the DOM library, which the extension's code must not see.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: BufferSource);
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number });
    readonly buffer: ArrayBuffer;
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  class Global {
    value: unknown;
  }
}

type BufferSource = ArrayBufferView | ArrayBuffer;
