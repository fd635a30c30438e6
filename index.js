'use strict';
// n8n finds the node and credential through the "n8n" section of package.json; this file is for
// tools that want the built classes directly (benchmarks, scripts). Run `npm run build` first.
const pkg = require('./package.json');

module.exports = {
	nodes: pkg.n8n.nodes.map((file) => require(`./${file}`)),
	credentials: pkg.n8n.credentials.map((file) => require(`./${file}`)),
};
