// Reads an AI-Compute chain with polkadot.js and prints what a standard client sees, as JSON.
// Usage: node read-chain.mjs ws://127.0.0.1:9944 [blockHash]
import { ApiPromise, WsProvider } from '@polkadot/api';

const [endpoint, at] = process.argv.slice(2);
const provider = new WsProvider(endpoint, false);
await provider.connect();
const api = await ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true });
const hash = at ?? (await api.rpc.chain.getFinalizedHead()).toHex();
const apiAt = await api.at(hash);
const header = await api.rpc.chain.getHeader(hash);

const jobs = (await apiAt.query.jobMarketplace.jobs.entries()).map(([key, value]) => {
  const job = value.unwrap();
  return {
    id: key.args[0].toString(),
    submitter: job.submitter.toString(),
    status: job.status.type,
    payment: job.payment.toString(),
    assignedGpu: job.assignedGpu.isSome ? job.assignedGpu.unwrap().toString() : null,
    submittedAt: job.submittedAt.toString(),
    completedAt: job.completedAt.isSome ? job.completedAt.unwrap().toString() : null,
  };
});
const gpus = (await apiAt.query.gpuRegistry.gpuNodes.entries()).map(([key, value]) => {
  const gpu = value.unwrap();
  return { id: key.args[0].toString(), provider: gpu.provider.toString(), status: gpu.status.type, model: gpu.specs.model.toUtf8() };
});
const events = (await apiAt.query.system.events()).map(record => ({
  phase: record.phase.type,
  name: `${record.event.section}.${record.event.method}`,
  data: record.event.data.toJSON(),
}));

console.log(JSON.stringify({
  chain: (await api.rpc.system.chain()).toString(),
  specVersion: api.runtimeVersion.specVersion.toNumber(),
  blockNumber: header.number.toNumber(),
  blockHash: hash,
  pallets: api.runtimeMetadata.asLatest.pallets.map(p => `${p.name.toString()}:${p.index.toNumber()}`),
  platformFeeBps: api.consts.jobMarketplace.platformFeeBps.toNumber(),
  pendingJobs: (await apiAt.query.jobMarketplace.pendingJobs()).map(id => id.toString()),
  nextJobId: (await apiAt.query.jobMarketplace.nextJobId()).toString(),
  jobs,
  gpus,
  events,
}));
await api.disconnect();
process.exit(0);
