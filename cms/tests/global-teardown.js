const fs = require('fs');
const path = require('path');
const { Client } = require('pg');

const STATE_FILE = path.resolve(__dirname, '..', '.tmp', 'test-database.json');

module.exports = async () => {
  if (!fs.existsSync(STATE_FILE)) return;
  const { name, base } = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
  if (process.env.KEEP_TEST_DATABASE) {
    console.log(`\nKept test database ${name}`);
    return;
  }
  const client = new Client({ connectionString: base });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.end();
  fs.rmSync(STATE_FILE);
};
