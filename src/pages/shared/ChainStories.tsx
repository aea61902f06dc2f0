import React, { useLayoutEffect, useRef, useState } from 'react';
import { dateTime, LoadingState } from '@grafana/data';
import { sceneGraph, SceneObjectBase, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { Alert, LoadingBar } from '@grafana/ui';

import { ProvenancePanel } from '../../panel/components/ProvenancePanel';
import { DEFAULT_OPTIONS, type ProvenancePanelOptions } from '../../panel/types';

interface ChainStoriesState extends SceneObjectState {
  /** Panel options over the defaults (e.g. the layout of an object's history). */
  options?: Partial<ProvenancePanelOptions>;
  /** Said when the question is empty, instead of an answer over everything. */
  emptyText?: string;
}

/** Width and height of the element, followed as it resizes (the panel lays itself out by its size). */
function useSize(): [React.RefObject<HTMLDivElement>, { width: number; height: number }] {
  const ref = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) {
      return;
    }
    const observer = new ResizeObserver(([entry]) =>
      setSize({ width: Math.floor(entry.contentRect.width), height: Math.floor(entry.contentRect.height) })
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, size];
}

/** The provenance panel's stories, timeline and drawer over the scene's query and time range. */
export class ChainStories extends SceneObjectBase<ChainStoriesState> {
  static Component = ChainStoriesRenderer;
}

function ChainStoriesRenderer({ model }: SceneComponentProps<ChainStories>) {
  const { options, emptyText } = model.useState();
  const { data } = sceneGraph.getData(model).useState();
  const timeRange = sceneGraph.getTimeRange(model);
  const { value: range } = timeRange.useState();
  const [ref, size] = useSize();
  const error = data?.errors?.[0]?.message;
  return (
    <div ref={ref} data-testid="chain-stories" style={{ width: '100%', height: '100%', minHeight: 480 }}>
      {data?.state === LoadingState.Loading && <LoadingBar width={size.width} />}
      {error && (
        <Alert severity="error" title="The question could not be answered">
          {error}
        </Alert>
      )}
      {!data && emptyText && <p>{emptyText}</p>}
      {data && size.width > 0 && (
        <ProvenancePanel
          {...({
            data,
            options: { ...DEFAULT_OPTIONS, ...options },
            width: size.width,
            height: Math.max(size.height, 480),
            timeRange: range,
            timeZone: timeRange.getTimeZone(),
            onChangeTimeRange: (r: { from: number; to: number }) =>
              timeRange.onTimeRangeChange({
                from: dateTime(r.from),
                to: dateTime(r.to),
                raw: { from: dateTime(r.from), to: dateTime(r.to) },
              }),
          } as unknown as React.ComponentProps<typeof ProvenancePanel>)}
        />
      )}
    </div>
  );
}
