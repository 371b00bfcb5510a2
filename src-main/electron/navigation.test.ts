import { describe, expect, it } from 'vitest';
import { isInAppNavigation, isSafeExternalUrl } from './navigation';

describe('desktop navigation policy', () => {
  it.each([
    ['https://example.com/docs', true],
    ['http://192.168.1.5:8080/', true],
    ['mailto:ops@example.com', true],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['smb://server/share', false],
    ['ms-msdt:/id PCWDiagnostic', false],
    ['not a url', false],
  ])('opens %s externally: %s', (url, allowed) => expect(isSafeExternalUrl(url)).toBe(allowed));

  it('keeps navigation inside the console', () => {
    const app = 'file:///opt/PumpDeck/resources/app.asar/out/renderer/index.html';
    expect(isInAppNavigation(`${app}#/alerts`, app)).toBe(true);
    expect(isInAppNavigation('file:///etc/passwd', app)).toBe(false);
    expect(isInAppNavigation('https://evil.example/', app)).toBe(false);
    expect(isInAppNavigation('http://localhost:5173/#/pumps', 'http://localhost:5173/')).toBe(true);
    expect(isInAppNavigation('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
  });
});
