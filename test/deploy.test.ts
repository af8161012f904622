import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';

describe('deploy/sip-reset.service', () => {
  const unit = readFileSync('deploy/sip-reset.service', 'utf8');

  it('runs what npm start runs, and waits longer than a graceful stop may take', () => {
    const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts
      .start;
    expect(start).to.match(/node dist\/main\.js$/);
    expect(unit).to.match(/^ExecStart=\/usr\/bin\/node \/opt\/sip-reset\/dist\/main\.js$/m);
    const stopSeconds = Number(/^TimeoutStopSec=(\d+)$/m.exec(unit)?.[1]);
    expect(stopSeconds, 'more than the default 60 s shutdown bound').to.be.greaterThan(60);
  });

  it('passes systemd-analyze verify', function () {
    if (spawnSync('systemd-analyze', ['--version']).status !== 0) this.skip();
    // Prints nothing and exits 0 for a sound unit; throws with its complaints otherwise.
    expect(
      execFileSync('systemd-analyze', ['verify', 'deploy/sip-reset.service'], { encoding: 'utf8' }),
    ).to.equal('');
  });

  it('is hardened: systemd-analyze security rates it 3.5 or lower, and lets V8 write its code', function () {
    const help = spawnSync('systemd-analyze', ['security', '--help'], { encoding: 'utf8' });
    if (help.status !== 0) {
      console.error('      skipped: systemd-analyze is not installed');
      this.skip();
    }
    if (!help.stdout.includes('--offline')) {
      console.error(
        '      skipped: this systemd-analyze cannot rate a unit file (no --offline, systemd < 250)',
      );
      this.skip();
    }
    const report = spawnSync('systemd-analyze', ['security', '--offline=true', 'deploy/sip-reset.service'], {
      encoding: 'utf8',
    });
    const score = Number(/Overall exposure level for sip-reset\.service: ([\d.]+)/.exec(report.stdout)?.[1]);
    expect(score, report.stdout + report.stderr).to.be.at.most(3.5);
    // Node.js cannot run without writable-executable memory: this must stay off.
    expect(unit).not.to.match(/^MemoryDenyWriteExecute=(yes|true)/m);
  });
});
