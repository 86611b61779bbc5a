import { parseArgs } from 'node:util';
import { startStripeEmulator } from './index';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '12111' },
    host: { type: 'string', default: '127.0.0.1' },
    'webhook-url': { type: 'string' },
    'webhook-secret': { type: 'string' },
    'public-url': { type: 'string' },
    snapshot: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`Usage: stripe-emulator [--port 12111] [--host 127.0.0.1]
  [--webhook-url http://localhost:3000/api/billing/webhook --webhook-secret whsec_...]
  [--public-url http://localhost:12111] [--snapshot state.json]`);
  process.exit(0);
}

const webhookUrl = values['webhook-url'];
const webhookSecret = values['webhook-secret'];
if ((webhookUrl && !webhookSecret) || (!webhookUrl && webhookSecret)) {
  console.error('--webhook-url and --webhook-secret go together');
  process.exit(2);
}

const running = await startStripeEmulator({
  port: Number(values.port),
  host: values.host,
  ...(webhookUrl && webhookSecret ? { webhook: { url: webhookUrl, secret: webhookSecret } } : {}),
  ...(values['public-url'] ? { publicUrl: values['public-url'] } : {}),
  ...(values.snapshot ? { snapshotFile: values.snapshot } : {}),
});

console.log(`Stripe emulator listening on ${running.url}`);
console.log(
  `  SDK: new Stripe('sk_test_emulator', { host: '${running.host}', port: ${running.port}, protocol: 'http' })`,
);
if (webhookUrl) console.log(`  webhooks → ${webhookUrl}`);

const shutdown = () => {
  running.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
