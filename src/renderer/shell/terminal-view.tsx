// One terminal tab: xterm.js fed by the core's session, sized to its box, with search and links.
import { useEffect, useRef } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import '@xterm/xterm/css/xterm.css';
import './terminal-theme.css';
import type { ShellStore } from './shell-store.js';

const THEME = { background: '#1d2330', foreground: '#d6deeb', cursor: '#9cc3ff', selectionBackground: '#3a4a66' };

export function TerminalView({ store, id, visible }: { store: ShellStore; id: string; visible: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const fit = useRef<FitAddon | undefined>(undefined);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const term = new Terminal({ fontFamily: 'ui-monospace, Menlo, monospace', fontSize: 13, theme: THEME, scrollback: 5000, allowProposedApi: true });
    const fitAddon = new FitAddon();
    const search = new SearchAddon();
    term.loadAddon(fitAddon);
    term.loadAddon(search);
    term.loadAddon(new WebLinksAddon((_event, uri) => window.open(uri, '_blank', 'noopener')));
    term.open(element);
    fit.current = fitAddon;
    const off = store.onData(id, (data) => term.write(data));
    const input = term.onData((data) => store.input(id, data));
    const resized = term.onResize(({ cols, rows }) => store.resize(id, cols, rows));
    const observer = new ResizeObserver(() => {
      if (element.clientWidth > 0 && element.clientHeight > 0) fitAddon.fit();
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      off();
      input.dispose();
      resized.dispose();
      term.dispose();
    };
  }, [store, id]);
  useEffect(() => {
    if (visible && box.current && box.current.clientWidth > 0) fit.current?.fit();
  }, [visible]);
  return <div className="terminal-box" ref={box} data-terminal-id={id} style={{ display: visible ? 'block' : 'none' }} />;
}
