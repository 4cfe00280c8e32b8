// busybox's nslookup (1.31+) against cluster DNS: one query per search domain, A then AAAA, each
// reply printed (NXDOMAIN beside an answer makes the exit status 1), and ExternalName CNAMEs.
import { describe, expect, it } from 'vitest';
import { execIn, harness } from '../test-helpers.js';

const HEADER = 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n';

async function client() {
  const h = harness();
  h.resolver.records.set('web.default.svc.cluster.local', ['10.96.7.7']);
  h.resolver.cname = (fqdn) => (fqdn === 'db.default.svc.cluster.local' ? 'my.database.example.com' : fqdn === 'alias.default.svc.cluster.local' ? 'web.default.svc.cluster.local' : undefined);
  const c = await h.start({ image: 'busybox', command: ['sleep', '3600'], podIP: '10.244.5.6' });
  return c.container;
}

describe('nslookup (busybox 1.37)', () => {
  it('asks each search domain, A then AAAA, and exits 1 on the NXDOMAINs', async () => {
    const r = await execIn(await client(), ['nslookup', 'web']);
    const nx = (n: string) => `** server can't find ${n}: NXDOMAIN\n\n`;
    expect(r.out).toBe(`${HEADER}Name:\tweb.default.svc.cluster.local\nAddress: 10.96.7.7\n\n${nx('web.svc.cluster.local')}${nx('web.cluster.local')}\n${nx('web.svc.cluster.local')}${nx('web.cluster.local')}`);
    expect(r.code).toBe(1);
  });

  it('asks a name with a dot as it is: the FQDN answers with exit 0, "web.default" does not resolve', async () => {
    const c = await client();
    const fqdn = await execIn(c, ['nslookup', 'web.default.svc.cluster.local']);
    expect(fqdn).toMatchObject({ code: 0, out: `${HEADER}Name:\tweb.default.svc.cluster.local\nAddress: 10.96.7.7\n\n\n` });
    const partial = await execIn(c, ['nslookup', 'web.default']);
    expect(partial).toMatchObject({ code: 1, out: `${HEADER}** server can't find web.default: NXDOMAIN\n\n** server can't find web.default: NXDOMAIN\n\n` });
  });

  it('prints an ExternalName CNAME, with the target when cluster DNS resolves it; wget follows it', async () => {
    const c = await client();
    const external = await execIn(c, ['nslookup', 'db.default.svc.cluster.local']);
    const cname = 'db.default.svc.cluster.local\tcanonical name = my.database.example.com\n\n';
    expect(external).toMatchObject({ code: 0, out: `${HEADER}${cname}${cname}` });
    const alias = await execIn(c, ['nslookup', 'alias.default.svc.cluster.local']);
    expect(alias.out).toBe(`${HEADER}alias.default.svc.cluster.local\tcanonical name = web.default.svc.cluster.local\nName:\tweb.default.svc.cluster.local\nAddress: 10.96.7.7\n\nalias.default.svc.cluster.local\tcanonical name = web.default.svc.cluster.local\n\n`);
    const bad = await execIn(c, ['wget', '-qO-', 'http://db']);
    expect(bad.err).toBe("wget: bad address 'db'\n");
  });
});

describe('getent hosts (glibc, musl)', () => {
  it('prints the address and canonical name, the ExternalName as an alias, exit 2 when unknown; busybox has none', async () => {
    const h = harness();
    h.resolver.records.set('web.default.svc.cluster.local', ['10.96.7.7']);
    h.resolver.cname = (fqdn) => (fqdn === 'alias.default.svc.cluster.local' ? 'web.default.svc.cluster.local' : undefined);
    const deb = (await h.start({ image: 'debian', command: ['sleep', '3600'], podIP: '10.244.5.7' })).container;
    expect(await execIn(deb, ['getent', 'hosts', 'web'])).toMatchObject({ code: 0, out: '10.96.7.7       web.default.svc.cluster.local\n' });
    expect(await execIn(deb, ['getent', 'hosts', 'alias'])).toMatchObject({ code: 0, out: '10.96.7.7       web.default.svc.cluster.local alias.default.svc.cluster.local\n' });
    expect(await execIn(deb, ['getent', 'hosts', 'nothere'])).toMatchObject({ code: 2, out: '' });
    const bb = (await h.start({ image: 'busybox', command: ['sleep', '3600'], podIP: '10.244.5.8' })).container;
    expect((await execIn(bb, ['getent', 'hosts', 'web'])).code).toBe(127);
  });
});
