// Monaco's editor worker (diff computation, links, word completion) as our own worker file.
import 'monaco-editor/editor/editor.worker.js';
