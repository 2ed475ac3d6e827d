// Jest runs each test file in a separate V8 context. Node 22 defines Symbol.dispose and
// Symbol.asyncDispose in its own realm only, so inside Jest they are undefined and undici
// (used by jsforce 3 for every request) fails with "removeAbortListener is not a function".
// Borrow the outer realm's symbols from an object that node:events creates there.
const { addAbortListener } = require('node:events');

const disposable = addAbortListener(new AbortController().signal, () => {});
const [outerDispose] = Object.getOwnPropertySymbols(disposable);
if (outerDispose && Symbol.dispose !== outerDispose) {
    Object.defineProperty(Symbol, 'dispose', { value: outerDispose });
}
disposable[outerDispose]();
