// A real Bluesky PDS for the tests, with an in-memory PLC directory beside it.
// Run with this folder's Node 22: `node run.mjs <data directory>`. Prints one
// JSON line, {"url", "plcUrl"}, once both listen; stops on SIGTERM.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Secp256k1Keypair } from '@atproto/crypto';
import { PDS } from '@atproto/pds';
import plc from '@did-plc/server';

const freePort = () =>
  new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: node run.mjs <data directory>');
const [plcPort, pdsPort] = [await freePort(), await freePort()];
const directory = plc.PlcServer.create({ db: plc.Database.mock(), port: plcPort });
await directory.start();
const rotationKey = await Secp256k1Keypair.create({ exportable: true });

Object.assign(process.env, {
  PDS_HOSTNAME: 'localhost',
  PDS_PORT: String(pdsPort),
  PDS_DEV_MODE: 'true',
  PDS_JWT_SECRET: randomBytes(32).toString('hex'),
  PDS_ADMIN_PASSWORD: randomBytes(16).toString('hex'),
  PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX: Buffer.from(await rotationKey.export()).toString('hex'),
  PDS_DATA_DIRECTORY: dataDir,
  PDS_BLOBSTORE_DISK_LOCATION: `${dataDir}/blobs`,
  PDS_DID_PLC_URL: `http://localhost:${plcPort}`,
  PDS_INVITE_REQUIRED: 'false',
  PDS_SERVICE_HANDLE_DOMAINS: '.test',
  LOG_ENABLED: 'false',
});
const pds = await PDS.fromEnv();
await pds.start();
console.log(JSON.stringify({ url: `http://127.0.0.1:${pdsPort}`, plcUrl: `http://127.0.0.1:${plcPort}` }));

process.once('SIGTERM', async () => {
  await pds.destroy();
  await directory.destroy();
  process.exit(0);
});
