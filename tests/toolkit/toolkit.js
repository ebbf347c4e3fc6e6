// The Serverless Toolkit's own API client (@twilio-labs/serverless-api, pinned in package-lock.json)
// run against the Twilio emulator: the test in test_toolkit.py drives it, one command per run.
//
//   TOOLKIT_BASE_URL=http://127.0.0.1:PORT TWILIO_USERNAME=AC... TWILIO_PASSWORD=... \
//     node toolkit.js deploy '{"cwd": "...", "serviceName": "...", "functionsEnv": "dev", ...}'
//   node toolkit.js list '{"serviceSid": "ZS...", "environment": "dev", "types": [...]}'
//
// Prints one JSON document: the Toolkit's answer, or {"error": ...} with exit status 1.
'use strict';

const apiClient = require('@twilio-labs/serverless-api/dist/api/utils/api-client');
const { TwilioServerlessApiClient } = require('@twilio-labs/serverless-api');

const base = process.env.TOOLKIT_BASE_URL;
if (!base) {
  console.error('toolkit.js: set TOOLKIT_BASE_URL to the emulator (http://127.0.0.1:PORT)');
  process.exit(2);
}
// Every Toolkit request resolves its host through getApiUrl(config, product) (product "serverless",
// or "serverless-upload" for uploads); the compiled code looks the function up on this module's
// exports at each call, so replacing the export sends every request, uploads included, to the emulator.
apiClient.getApiUrl = (config, product = 'serverless', apiVersion = 'v1') => `${base.replace(/\/$/, '')}/${product}/${apiVersion}`;

async function main(command, options) {
  const client = new TwilioServerlessApiClient({
    username: process.env.TWILIO_USERNAME,
    password: process.env.TWILIO_PASSWORD,
    retryLimit: 0,
  });
  if (command === 'deploy') {
    const result = await client.deployLocalProject({ ...options, username: process.env.TWILIO_USERNAME, password: process.env.TWILIO_PASSWORD });
    // The file bodies are the test's own files: leave them out of the answer.
    for (const resource of [...result.functionResources, ...result.assetResources]) {
      delete resource.content;
    }
    return result;
  }
  if (command === 'list') {
    return client.list(options);
  }
  throw new Error(`unknown command ${command} (deploy, list)`);
}

main(process.argv[2], JSON.parse(process.argv[3] || '{}')).then(
  (result) => {
    process.stdout.write(JSON.stringify(result) + '\n');
  },
  (error) => {
    const body = error && error.response ? error.response.body : undefined;
    process.stdout.write(JSON.stringify({ error: String((error && error.message) || error), name: error && error.name, body }) + '\n');
    process.exit(1);
  },
);
