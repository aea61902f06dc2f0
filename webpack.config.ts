import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';
import { merge } from 'webpack-merge';

import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

// The scaffold copies only the root plugin's logos; the nested data source and panel need theirs too.
const config = async (env: Env): Promise<Configuration> => {
  const baseConfig = await grafanaConfig(env);
  return merge(baseConfig, {
    entry: {
      // The data source's Web Worker, beside its module.js (dist/datasource/), whose folder is the data source's
      // public path at run time (remoteTrace.ts traceWorkerUrl). Not `new Worker(new URL(…))`: webpack would name
      // it by its path from dist/ and ask for it under the data source's folder, one level too deep.
      // A plain script: a worker has no AMD loader (no `define`) and no SystemJS to chunk-load through.
      'datasource/traceWorker': {
        import: './datasource/traceWorker.ts',
        library: { type: 'var', name: 'provenanceTraceWorker' },
        chunkLoading: false,
      },
    },
    plugins: [
      new CopyWebpackPlugin({
        patterns: [
          { from: 'datasource/img', to: 'datasource/img' },
          { from: 'panel/img', to: 'panel/img' },
        ],
      }),
    ],
  });
};

export default config;
