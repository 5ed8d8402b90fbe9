// expect: ok
// network: true
// A Node.js job with the network (Dify's JavaScript node always asks for it) on a worker that
// allows it: plain HTTP through the proxy and a CONNECT tunnel are refused the metadata address
// and a private one; a direct connection, fetch included (it ignores HTTP_PROXY), finds no route.
// stdout: absolute metadata: 403 sandq egress: refused GET http://169.254.169.254:80: 169.254.169.254 is link-local (cloud metadata services live there)
// stdout: connect metadata: 403
// stdout: connect private: 403
// stdout: direct private: ENETUNREACH
// stdout: fetch metadata: failed
const http = require('http');
const net = require('net');

const proxy = new URL(process.env.HTTP_PROXY);

function absolute(url) {
    return new Promise(resolve => {
        http.get({host: proxy.hostname, port: proxy.port, path: url, timeout: 10000}, res => {
            let body = '';
            res.on('data', d => body += d);
            res.on('end', () => resolve(res.statusCode + ' ' + body.trim()));
        }).on('error', e => resolve('error ' + e.code));
    });
}

function connect(target) {
    return new Promise(resolve => {
        http.request({host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: target, timeout: 10000})
            .on('connect', (res, socket) => { socket.destroy(); resolve(String(res.statusCode)); })
            .on('response', res => resolve(String(res.statusCode)))
            .on('error', e => resolve('error ' + e.code))
            .end();
    });
}

function direct(host, port) {
    return new Promise(resolve => {
        const s = net.connect({host, port, timeout: 3000});
        s.on('connect', () => { s.destroy(); resolve('connected'); });
        s.on('error', e => resolve(e.code));
        s.on('timeout', () => { s.destroy(); resolve('timeout'); });
    });
}

(async () => {
    console.log('absolute metadata: ' + await absolute('http://169.254.169.254/latest/meta-data/'));
    console.log('connect metadata: ' + await connect('169.254.169.254:80'));
    console.log('connect private: ' + await connect('10.0.0.1:443'));
    console.log('direct private: ' + await direct('10.0.0.1', 80));
    try {
        await fetch('http://169.254.169.254/latest/meta-data/', {signal: AbortSignal.timeout(5000)});
        console.log('fetch metadata: answered');
    } catch (e) {
        console.log('fetch metadata: failed');
    }
})();
