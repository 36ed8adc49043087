import { OutboundPolicy } from './outbound-policy';

describe(OutboundPolicy.name, () => {
  const none = OutboundPolicy.from([]);

  it.each([
    'http://127.0.0.1/x',
    'http://127.1.2.3:8080/x',
    'http://[::1]/x',
    'http://localhost/x',
    'http://api.localhost/x',
    'http://0.0.0.0/x',
    'http://10.1.2.3/x',
    'http://172.16.0.1/x',
    'http://172.31.255.255/x',
    'http://192.168.1.1/x',
    'http://169.254.169.254/latest/meta-data',
    'http://[fc00::1]/x',
    'http://[fd12:3456::1]/x',
    'http://[fe80::1]/x',
    'http://[::ffff:127.0.0.1]/x',
    'http://[::ffff:a9fe:a9fe]/x',
    'http://100.64.0.1/x',
  ])('refuses %s at save', (url) => {
    expect(none.refusalOf(url)).toMatch(/loopback, private or link-local/);
  });

  it('refuses credentials in the URL and other schemes', () => {
    expect(none.refusalOf('https://user:pass@hooks.example/x')).toMatch(/user name or password/);
    expect(none.refusalOf('https://user@hooks.example/x')).toMatch(/user name or password/);
    expect(none.refusalOf('file:///etc/passwd')).toMatch(/http/);
  });

  it('takes public names and addresses', () => {
    expect(none.refusalOf('https://hooks.example/in')).toBeNull();
    expect(none.refusalOf('https://93.184.216.34/in')).toBeNull();
    expect(none.refusalOf('http://172.32.0.1/x')).toBeNull();
    expect(none.allows('hooks.example', '2606:2800:220:1:248:1893:25c8:1946')).toBe(true);
  });

  it('lets through what OUTBOUND_ALLOWED_HOSTS lists, and only that', () => {
    const some = OutboundPolicy.from(['127.0.0.1', 'localhost', '10.0.0.0/8', 'fd00::/8']);
    expect(some.refusalOf('http://127.0.0.1:3000/x')).toBeNull();
    expect(some.refusalOf('http://localhost:3000/x')).toBeNull();
    expect(some.refusalOf('http://10.9.8.7/x')).toBeNull();
    expect(some.refusalOf('http://[fd00::5]/x')).toBeNull();
    expect(some.refusalOf('http://127.0.0.2/x')).not.toBeNull();
    expect(some.refusalOf('http://192.168.0.1/x')).not.toBeNull();
    // A listed name may resolve to an internal address; any other name may not.
    expect(some.allows('localhost', '127.0.0.1')).toBe(true);
    expect(some.allows('rebinding.example', '192.168.0.1')).toBe(false);
  });
});
