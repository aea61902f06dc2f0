import React, { useState } from 'react';
import type { DataFrame } from '@grafana/data';
import { Button, Stack } from '@grafana/ui';

import type { Chain } from '../../core';
import { reportFileName, reportJson, reportMarkdown } from '../report';

interface Props {
  series: DataFrame[];
  /** The chains the report is of: one (the drawer) or the selection (the toolbar). */
  chains: readonly Chain[];
  timeZone: string;
  question?: string;
  size?: 'sm' | 'md';
}

/** Saves text as a file through the browser's download (no server round trip: the data is already here). */
function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // The click has started the download; the object URL is no longer needed once it has been read.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** "Copy as Markdown" and "Download JSON" of the chains: for a ticket or a postmortem. */
export function ReportButtons({ series, chains, timeZone, question, size = 'sm' }: Props) {
  const [said, setSaid] = useState<string | undefined>();
  const what = chains.length === 1 ? 'this change' : `these ${chains.length} changes`;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(reportMarkdown({ series, chains, timeZone, question }));
      setSaid(`Copied the report of ${what} as Markdown.`);
    } catch (e) {
      setSaid(`The browser did not allow copying (${e instanceof Error ? e.message : String(e)}). Use Download JSON.`);
    }
  };
  return (
    <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
      <Button
        size={size}
        variant="secondary"
        icon="copy"
        onClick={copy}
        tooltip={`The report of ${what}, for a ticket`}
      >
        Copy as Markdown
      </Button>
      <Button
        size={size}
        variant="secondary"
        icon="download-alt"
        onClick={() =>
          download(
            reportFileName(chains),
            JSON.stringify(reportJson({ series, chains, timeZone, question }), null, 2) + '\n'
          )
        }
        tooltip={`${what} in the trace JSON contract, with the story, times, raw lines and Explore links`}
      >
        Download JSON
      </Button>
      {said && (
        <span role="status" data-testid="report-status">
          {said}
        </span>
      )}
    </Stack>
  );
}
