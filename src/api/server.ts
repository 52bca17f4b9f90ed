import closeWithGrace from 'close-with-grace';
import { loadConfig, type Config } from '../config.js';
import { temporalSecurity } from '../temporal/connection-options.js';
import { buildApp } from './build-app.js';

/** `npm run api`: the API process. Everything else lives in the app plugin, which tests build without a port. */
function configOrExit(): Config {
  try {
    const config = loadConfig();
    temporalSecurity(config); // TLS files and API key checked now, not at the first Temporal call
    return config;
  } catch (error) {
    console.error(`Invalid configuration: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

const config = configOrExit();
const app = buildApp(config);

// On SIGINT/SIGTERM stop accepting connections, let in-flight requests finish, then close the clients (onClose);
// a second signal or 10 s without finishing exits at once.
closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'closing after an uncaught error');
  else app.log.info({ signal }, 'closing');
  await app.close();
});

await app.listen({ host: config.HOST, port: config.PORT });
