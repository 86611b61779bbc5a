import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Meter } from '../src/components/Meter';

afterEach(cleanup);

describe('Meter', () => {
  it('is a labelled progress bar with used / limit and percent', () => {
    render(<Meter label="Sessions" used={45} limit={200} />);
    const bar = screen.getByRole('progressbar', { name: 'Sessions' });
    expect(bar.getAttribute('aria-valuenow')).toBe('45');
    expect(bar.getAttribute('aria-valuemin')).toBe('0');
    expect(bar.getAttribute('aria-valuemax')).toBe('200');
    expect(bar.getAttribute('aria-valuetext')).toBe('45 of 200 (22%)');
    expect(screen.getByText('22%')).toBeTruthy();
    expect(screen.getByTestId('meter-sessions').dataset.level).toBe('ok');
  });

  it('warns from 80% and flags the limit at 100%', () => {
    render(<Meter label="Events" used={8_000} limit={10_000} />);
    expect(screen.getByTestId('meter-events').dataset.level).toBe('warn');
    expect(screen.getByTestId('meter-events').className).toContain('meter--warn');
    expect(screen.getByText('Approaching the limit')).toBeTruthy();
    cleanup();

    render(<Meter label="Events" used={12_500} limit={10_000} />);
    const meter = screen.getByTestId('meter-events');
    expect(meter.dataset.level).toBe('over');
    expect(screen.getByText('Limit reached')).toBeTruthy();
    // Over the limit the bar is full, and the real figure is in the text.
    const bar = screen.getByRole('progressbar', { name: 'Events' });
    expect(bar.getAttribute('aria-valuenow')).toBe('10000');
    expect(bar.getAttribute('aria-valuetext')).toBe('12,500 of 10,000 (125%)');
    expect((meter.querySelector('.meter__fill') as HTMLElement).style.width).toBe('100%');
  });

  it('shows storage in human units', () => {
    render(<Meter label="Storage" used={52_428_800} limit={536_870_912} unit="bytes" />);
    expect(screen.getByTestId('meter-storage').textContent).toContain('50 MB');
    expect(screen.getByTestId('meter-storage').textContent).toContain('512 MB');
    expect(screen.getByRole('progressbar', { name: 'Storage' }).getAttribute('aria-valuetext')).toBe(
      '50 MB of 512 MB (9%)',
    );
  });

  it('says Unlimited when the plan has no limit', () => {
    render(<Meter label="Enrichments" used={32} limit={null} />);
    expect(screen.getByTestId('meter-enrichments').textContent).toContain('Unlimited');
    expect(screen.queryByRole('progressbar')).toBeNull();
  });
});
