import {
  EmbeddedScene,
  SceneControlsSpacer,
  SceneFlexItem,
  SceneFlexLayout,
  SceneQueryRunner,
  SceneRefreshPicker,
  SceneTimePicker,
  SceneTimeRange,
  SceneVariableSet,
  TextBoxVariable,
  VariableValueSelectors,
  type SceneObject,
} from '@grafana/scenes';

import type { ProvenancePanelOptions } from '../../panel/types';
import type { ProvenanceQuery } from '../../datasource/types';
import { ChainStories } from './ChainStories';
import { DATASOURCE_TYPE } from './routes';

export interface QuestionSceneSpec {
  /** The Change Provenance data source the pages ask. */
  datasourceUid: string;
  /** Name of the one text variable (its value is in the URL as `var-<name>`), and its label. */
  variable: string;
  label: string;
  /** The query, with `$<variable>` where the search goes. */
  query: Partial<ProvenanceQuery>;
  options?: Partial<ProvenancePanelOptions>;
  emptyText?: string;
  /** More text variables that narrow the question (each in the URL as `var-<name>`). */
  narrowing?: Array<{ name: string; label: string }>;
  /** More queries over the same question (the data source asks Loki once for them all). */
  moreQueries?: Array<Partial<ProvenanceQuery>>;
  /** Shown above the stories, over the same data (e.g. the person trail's summary). */
  above?: SceneObject;
}

/**
 * A page that asks one question: a search box and the time picker (both in the URL, so a pasted link opens the
 * same view), the data source's chains for it, and the provenance panel's stories over them.
 */
export function questionScene(spec: QuestionSceneSpec): EmbeddedScene {
  return new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from: 'now-6h', to: 'now' }),
    $variables: new SceneVariableSet({
      variables: [
        new TextBoxVariable({ name: spec.variable, label: spec.label, value: '' }),
        ...(spec.narrowing ?? []).map((v) => new TextBoxVariable({ name: v.name, label: v.label, value: '' })),
      ],
    }),
    $data: new SceneQueryRunner({
      datasource: { type: DATASOURCE_TYPE, uid: spec.datasourceUid },
      queries: [
        { refId: 'A', mode: 'chains', ...spec.query },
        ...(spec.moreQueries ?? []).map((q, i) => ({ refId: String.fromCharCode(66 + i), mode: 'chains', ...q })),
      ],
    }),
    controls: [
      new VariableValueSelectors({}),
      new SceneControlsSpacer(),
      new SceneTimePicker({}),
      new SceneRefreshPicker({}),
    ],
    body: new SceneFlexLayout({
      direction: 'column',
      children: [
        ...(spec.above ? [new SceneFlexItem({ body: spec.above })] : []),
        new SceneFlexItem({
          minHeight: 520,
          body: new ChainStories({ options: spec.options, emptyText: spec.emptyText }),
        }),
      ],
    }),
  });
}
