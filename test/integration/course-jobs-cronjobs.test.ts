// The course's chapter on Jobs and CronJobs, run with the real kubectl against a three-node sandbox:
// the perl pi job, completions and parallelism, a failing job hitting its backoffLimit, and CronJobs
// that fire on their own or by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlFor, removeDir, startSandbox, type RunningSandbox } from './harness.js';
import { manifest, ok, poll, table, type Kubectl } from './kubectl-helpers.js';

let sandbox: RunningSandbox;
let kubectl: Kubectl;

const EVERY_MINUTE = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: every-minute
spec:
  schedule: '*/1 * * * *'
  jobTemplate:
    spec:
      template:
        metadata:
          labels:
            app: periodic-batch-job
        spec:
          restartPolicy: OnFailure
          containers:
            - name: hello
              image: busybox
              command: ['sh', '-c', 'date; echo Hello from the Kubernetes cluster']
`;

beforeAll(async () => {
  sandbox = await startSandbox({ nodes: 3 });
  kubectl = kubectlFor(sandbox);
  // Created first so that its first run (at the next minute) falls while the other tests run.
  await ok(kubectl, ['apply', '-f', await manifest(sandbox, 'every-minute.yaml', EVERY_MINUTE)]);
});

afterAll(async () => {
  expect(await sandbox?.stop()).toBe(0);
  await removeDir(sandbox?.dataDir ?? '');
});

const PI_JOB = `apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  parallelism: 1
  completions: 1
  template:
    metadata:
      name: pi
    spec:
      containers:
      - name: pi
        image: perl
        command: ["perl",  "-Mbignum=bpi", "-wle", "print bpi(2000)"]
      restartPolicy: OnFailure
`;

const jobRow = async (name: string) => table(await ok(kubectl, ['get', 'job', name])).rows[0];
const waitJob = (name: string, status: string, timeoutMs = 90_000) =>
  poll(`job ${name} ${status}`, async () => {
    const row = await jobRow(name);
    return row.STATUS === status ? row : undefined;
  }, timeoutMs);

describe('jobs', () => {
  it("the course's pi job completes and its log is pi to 2000 digits", async () => {
    expect(await ok(kubectl, ['apply', '-f', await manifest(sandbox, 'pi.yaml', PI_JOB)])).toBe('job.batch/pi created\n');
    const row = await waitJob('pi', 'Complete');
    expect(table(await ok(kubectl, ['get', 'jobs'])).headers).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
    expect(row.COMPLETIONS).toBe('1/1');
    expect(row.DURATION).toMatch(/^\d+s$/);
    const log = await ok(kubectl, ['logs', 'job/pi']);
    expect(log).toMatch(/^3\.14159265358979323846264338327950288419716939937510/);
    // 2000 significant digits: "3." and 1999 decimals.
    expect(log.trim()).toHaveLength(2001);
    expect(log.trim().endsWith('24586315030286182974555706749838505494588586926995690927210797509302955321165344987202755960236480665499119881834797753566369807426542527862551818417574672890977772793800081647060016145249192173217214772350141441973568548161361157352552133475741849468438523323907394143334547762416862518983569485562099219222184272550254256887671790494601653466804988627232791786085784383827967976681454100953883786360950680064225125205117392984896084128488626945604241965285022210661186306744278622039194945047123713786960956364371917287467764657573962413890865832645995813390478027590099465764078951269468398352595709825822620522489407726719478268482601476990902640136394437455305068203496252451749399651431429809190659250937221696461515709858387410597885959772975498930161753928468138268683868942774155991855925245953959431049972524680845987273644695848653836736222626099124608051243884390451244136549762780797715691435997700129616089441694868555848406353422072225828488648158456028506016842739452267467678895252138522549954666727823986456596116354886230577456498035593634568174324112515076069479451096596094025228879710893145669136867228748940560101503308617928680920874760917824938589009714909675985261365549781893129784821682998948722658804857564014270477555132379641451523746234364542858444795265867821051141354735739523113427166102135969536231442952484937187110145765403590279934403742007310578539062198387447808478489683321445713868751943506430218453191048481005370614680674919278191197939952061419663428754440643745123718192179998391015919561814675142691239748940907186494231961567945208095146550225231603881930142093762137855956638937787083039069792077346722182562599661501421503068038447734549202605414665925201497442850732518666002132434088190710486331734649651453905796268561005508106658796998163574736384052571459102897064140110971206280439039759515677157700420337869936007230558763176359421873125147120532928191826186125867321579198414848829164470609575270695722091756711672291098169091528017350671274858322287183520935396572512108357915136988209144421006751033467110314126711136990865851639831501970165151168517143765761835155650884909989859982387345528331635507647918535893226185489632132933089857064204675259070915481416549859461637180'));
    const pod = table(await ok(kubectl, ['get', 'pods', '-l', 'job-name=pi'])).rows;
    expect(pod.map((p) => [p.READY, p.STATUS])).toEqual([['0/1', 'Completed']]);
    expect(pod[0].NAME).toMatch(/^pi-[a-z0-9]{5}$/);
    const describe = await ok(kubectl, ['describe', 'job', 'pi']);
    expect(describe).toMatch(/Pods Statuses:\s+0 Active \(0 Ready\) \/ 1 Succeeded \/ 0 Failed/);
    expect(describe).toMatch(/Normal\s+SuccessfulCreate\s+.*Created pod: pi-[a-z0-9]{5}/);
    expect(describe).toMatch(/Normal\s+Completed\s+.*Job completed/);
  });

  it('kubectl create job runs the command once', async () => {
    expect(await ok(kubectl, ['create', 'job', 'exemple-job', '--image=busybox', '--', '/bin/sh', '-c', 'date; echo Hello from the Kubernetes cluster'])).toBe('job.batch/exemple-job created\n');
    await waitJob('exemple-job', 'Complete');
    expect(await ok(kubectl, ['logs', 'job/exemple-job'])).toMatch(/^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d UTC \d{4}\nHello from the Kubernetes cluster\n$/);
  });

  it('completions and parallelism: five completions, two at a time', async () => {
    const file = await manifest(
      sandbox,
      'batch.yaml',
      `apiVersion: batch/v1
kind: Job
metadata: {name: batch}
spec:
  completions: 5
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: work, image: busybox, command: ['sh', '-c', 'sleep 2; echo done']}
`,
    );
    await ok(kubectl, ['apply', '-f', file]);
    const running = await poll('two active pods', async () => {
      const row = await jobRow('batch');
      return row.STATUS === 'Running' ? row : undefined;
    });
    expect(running.COMPLETIONS).toMatch(/^[0-4]\/5$/);
    let maxActive = 0;
    const row = await poll('batch complete', async () => {
      const active = Number(await ok(kubectl, ['get', 'job', 'batch', '-o', 'jsonpath={.status.active}']) || '0');
      maxActive = Math.max(maxActive, active);
      const r = await jobRow('batch');
      return r.STATUS === 'Complete' ? r : undefined;
    }, 120_000);
    expect(row.COMPLETIONS).toBe('5/5');
    expect(maxActive).toBeLessThanOrEqual(2);
    const pods = table(await ok(kubectl, ['get', 'pods', '-l', 'job-name=batch'])).rows;
    expect(pods.map((p) => p.STATUS)).toEqual(Array(5).fill('Completed'));
  });

  it('a failing command exhausts backoffLimit: pods in Error, job Failed with BackoffLimitExceeded', async () => {
    const file = await manifest(
      sandbox,
      'fail.yaml',
      `apiVersion: batch/v1
kind: Job
metadata: {name: fail}
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: fail, image: busybox, command: ['sh', '-c', 'echo failing; exit 1']}
`,
    );
    await ok(kubectl, ['apply', '-f', file]);
    const row = await waitJob('fail', 'Failed', 120_000);
    expect(row.COMPLETIONS).toBe('0/1');
    const pods = table(await ok(kubectl, ['get', 'pods', '-l', 'job-name=fail'])).rows;
    expect(pods.map((p) => [p.READY, p.STATUS])).toEqual([['0/1', 'Error'], ['0/1', 'Error']]);
    const describe = await ok(kubectl, ['describe', 'job', 'fail']);
    expect(describe).toMatch(/Pods Statuses:\s+0 Active \(0 Ready\) \/ 0 Succeeded \/ 2 Failed/);
    expect(describe).toMatch(/Warning\s+BackoffLimitExceeded\s+.*Job has reached the specified backoff limit/);
  });
});

describe('cronjobs', () => {
  it('kubectl create cronjob, suspend and resume with patch, and a manual run with --from', async () => {
    expect(
      await ok(kubectl, ['create', 'cronjob', 'exemple-cronjob', '--image=busybox', '--schedule=*/5 * * * *', '--', '/bin/sh', '-c', 'date; echo Hello from the Kubernetes cluster']),
    ).toBe('cronjob.batch/exemple-cronjob created\n');
    const t = table(await ok(kubectl, ['get', 'cronjob', 'exemple-cronjob']));
    expect(t.headers).toEqual(['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE']);
    expect(t.rows[0]).toMatchObject({ SCHEDULE: '*/5 * * * *', TIMEZONE: '<none>', SUSPEND: 'False', ACTIVE: '0', 'LAST SCHEDULE': '<none>' });
    expect(await ok(kubectl, ['patch', 'cronjob', 'exemple-cronjob', '-p', '{"spec" : {"suspend" : true }}'])).toBe('cronjob.batch/exemple-cronjob patched\n');
    expect(table(await ok(kubectl, ['get', 'cj', 'exemple-cronjob'])).rows[0].SUSPEND).toBe('True');
    expect(await ok(kubectl, ['patch', 'cronjob', 'exemple-cronjob', '-p', '{"spec" : {"suspend" : false }}'])).toBe('cronjob.batch/exemple-cronjob patched\n');
    expect(table(await ok(kubectl, ['get', 'cj', 'exemple-cronjob'])).rows[0].SUSPEND).toBe('False');
    expect(await ok(kubectl, ['create', 'job', '--from=cronjob/exemple-cronjob', 'exemple-manual'])).toBe('job.batch/exemple-manual created\n');
    await waitJob('exemple-manual', 'Complete');
    expect(await ok(kubectl, ['get', 'job', 'exemple-manual', '-o', 'jsonpath={.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate}'])).toBe('manual');
    expect(await ok(kubectl, ['logs', 'job/exemple-manual'])).toContain('Hello from the Kubernetes cluster\n');
  });

  it("the '*/1 * * * *' cronjob creates a job on its own within a minute", async () => {
    const job = await poll('scheduled job', async () => {
      const rows = table(await ok(kubectl, ['get', 'jobs'])).rows.filter((r) => /^every-minute-\d+$/.test(r.NAME));
      return rows[0];
    }, 75_000);
    const done = await waitJob(job.NAME, 'Complete');
    expect(done.COMPLETIONS).toBe('1/1');
    const cj = table(await ok(kubectl, ['get', 'cronjob', 'every-minute'])).rows[0];
    expect(cj['LAST SCHEDULE']).toMatch(/^\d+s$|^\d+m\d*s?$/);
    const describe = await ok(kubectl, ['describe', 'cronjob', 'every-minute']);
    expect(describe).toMatch(new RegExp(`Normal\\s+SuccessfulCreate\\s+.*Created job ${job.NAME}`));
    expect(await ok(kubectl, ['logs', `job/${job.NAME}`])).toContain('Hello from the Kubernetes cluster\n');
  });
});
