import { AppPlugin } from '@grafana/data';

import { AppRoot } from './components/AppRoot';
import type { AppSettings } from './pages/App';
import { AppConfig } from './pages/AppConfig/AppConfig';

export const plugin = new AppPlugin<AppSettings>().setRootPage(AppRoot).addConfigPage({
  title: 'Configuration',
  icon: 'cog',
  body: AppConfig,
  id: 'configuration',
});
