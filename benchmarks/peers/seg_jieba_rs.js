#!/usr/bin/env node
// jieba-rs through @node-rs/jieba (npm, installed by seg.sh into ./node_modules) on the common input.
//
// usage: node seg_jieba_rs.js LINES TOKENS_OUT [--rounds 3]
//
// jieba.cut(line, true): precise mode with HMM, synchronous on the main thread, with the package's
// bundled dict.txt; warm (dictionary loaded and one full pass first). CPU time is the process's
// (Node has no per-thread CPU clock before v23.9), so it includes V8's GC helper threads.
'use strict'
const fs = require('fs')
const { Jieba } = require('@node-rs/jieba')
const { dict } = require('@node-rs/jieba/dict')

const [, , linesPath, tokensOut] = process.argv
const r = process.argv.indexOf('--rounds')
const rounds = r > 0 ? Number(process.argv[r + 1]) : 3
const lines = fs.readFileSync(linesPath, 'utf8').split('\n')
if (lines.length && lines[lines.length - 1] === '') lines.pop()

const loadStart = process.hrtime.bigint()
const jieba = Jieba.withDict(dict)
jieba.cut('预热', true)
const loadS = Number(process.hrtime.bigint() - loadStart) / 1e9

function onePass () {
  let tokens = 0
  for (const line of lines) tokens += jieba.cut(line, true).length
  return tokens
}

onePass() // warm-up pass
const walls = []
const cpus = []
for (let i = 0; i < rounds; i++) {
  const cpu = process.cpuUsage()
  const wall = process.hrtime.bigint()
  onePass()
  walls.push(Number(process.hrtime.bigint() - wall) / 1e9)
  const used = process.cpuUsage(cpu)
  cpus.push((used.user + used.system) / 1e6)
}

const version = require('@node-rs/jieba/package.json').version
console.log(JSON.stringify({
  kind: 'seg',
  peer: `jieba-rs via @node-rs/jieba ${version} cut(hmm=true), Node ${process.version}`,
  key: 'jieba-rs',
  lines: lines.length,
  chars: lines.reduce((n, l) => n + [...l].length, 0),
  wall_s: walls,
  cpu_s: cpus,
  load_s: Math.round(loadS * 1000) / 1000,
  load_avg: fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
}))

const out = fs.createWriteStream(tokensOut)
for (const line of lines) out.write(JSON.stringify(jieba.cut(line, true)) + '\n')
out.end()
