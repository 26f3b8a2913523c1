// Times polkadot.js reading every job and GPU with entries(), as a standard client would, at the finalized head.
// Usage: node bench/polkadot/entries.mjs ws://127.0.0.1:9944 <tests/interop directory, where polkadot.js is installed>
// Prints {"jobs": n, "gpus": n, "milliseconds": t} (t covers the two entries() calls only, not connecting).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const [endpoint, interop] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(interop), 'package.json'));
const { ApiPromise, WsProvider } = await import(pathToFileURL(require.resolve('@polkadot/api')).href);
const provider = new WsProvider(endpoint, false, {}, 120_000);
await provider.connect();
const api = await ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true });
const hash = (await api.rpc.chain.getFinalizedHead()).toHex();
const apiAt = await api.at(hash);
const started = performance.now();
const jobs = await apiAt.query.jobMarketplace.jobs.entries();
const gpus = await apiAt.query.gpuRegistry.gpuNodes.entries();
const milliseconds = performance.now() - started;
console.log(JSON.stringify({ jobs: jobs.length, gpus: gpus.length, milliseconds }));
await api.disconnect();
process.exit(0);
