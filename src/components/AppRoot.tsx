import React from 'react';
import type { AppRootProps } from '@grafana/data';

import { App, type AppSettings } from '../pages/App';

/** The app's pages (Scenes): investigate, an object's history, a person's trail. */
export function AppRoot(props: AppRootProps<AppSettings>) {
  return <App {...props} />;
}
