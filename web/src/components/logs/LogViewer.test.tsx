import '../../test/setup-dom.js';
import { fireEvent, screen } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { parseLogLine, type LogLine } from '../../lib/k8s/log-lines.js';
import type { LogStreamsState } from '../../lib/k8s/use-logs.js';
import { renderConsole } from '../../test/render.js';
import { defaultLogViewOptions, LogViewerRenderer, podColor } from './LogViewer.js';

let seq = 0;
const line = (pod: string, raw: string): LogLine => ({ pod, container: 'c', ...parseLogLine(raw), seq: seq++ });
const state: LogStreamsState = {
  lines: [line('job-a', '2026-01-01T00:00:01Z starting work'), line('job-b', '2026-01-01T00:00:02Z ERROR disk full'), line('job-a', '2026-01-01T00:00:03Z done')],
  status: { 'default/job-b/c': { status: 'error', message: 'container "c" not found' } },
};

function Harness({ follow = true }: { follow?: boolean }) {
  const [options, setOptions] = useState({ ...defaultLogViewOptions(), follow });
  return <LogViewerRenderer state={state} pods={['job-a', 'job-b']} containers={['c']} options={options} onOptionsChange={setOptions} showPod />;
}

const shownLines = () => [...document.querySelectorAll('.log-line')].map((l) => `${l.getAttribute('data-pod')}:${l.textContent}`);

describe('LogViewerRenderer (all pods in one view)', () => {
  it('shows every pod’s lines in time order, tagged with the pod', () => {
    renderConsole(<Harness />);
    expect(shownLines()).toEqual(['job-a:job-astarting work', 'job-b:job-bERROR disk full', 'job-a:job-adone']);
    expect(screen.getByText('3 of 3 lines')).toBeTruthy();
  });

  it('filters by search text and highlights the match', () => {
    renderConsole(<Harness />);
    fireEvent.change(screen.getByLabelText('Search logs'), { target: { value: 'disk' } });
    expect(shownLines()).toEqual(['job-b:job-bERROR disk full']);
    expect(document.querySelector('mark')?.textContent).toBe('disk');
    expect(screen.getByText('1 of 3 lines')).toBeTruthy();
  });

  it('searches with a regular expression and reports an invalid one', () => {
    renderConsole(<Harness />);
    fireEvent.click(screen.getByLabelText('Regex'));
    fireEvent.change(screen.getByLabelText('Search logs'), { target: { value: '^(starting|done)' } });
    expect(shownLines()).toEqual(['job-a:job-astarting work', 'job-a:job-adone']);
    fireEvent.change(screen.getByLabelText('Search logs'), { target: { value: '(' } });
    expect(screen.getByText(/Not a valid regular expression/)).toBeTruthy();
    expect(shownLines()).toHaveLength(3);
  });

  it('reports streams that failed', () => {
    renderConsole(<Harness />);
    expect(screen.getByText(/container "c" not found/)).toBeTruthy();
  });

  it('shows timestamps when asked', () => {
    renderConsole(<Harness />);
    expect(screen.queryByText('2026-01-01T00:00:01Z')).toBeNull();
    fireEvent.click(screen.getByLabelText('Timestamps'));
    expect(screen.getByText('2026-01-01T00:00:01Z')).toBeTruthy();
  });

  it('gives each pod a stable colour', () => {
    expect(podColor('job-a')).toBe(podColor('job-a'));
  });
});
