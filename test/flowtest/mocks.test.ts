import { request } from 'undici';
import { Transcript } from '../../src/flowtest/capture';
import { HttpMocks, urlMatches } from '../../src/flowtest/mocks';

/** The HTTP side of flow tests: mocks answer through undici's own mock agent, and nothing else is reached. */
describe('HTTP mocks', () => {
  let transcript = new Transcript();
  const mocks = new HttpMocks(() => transcript);
  const get = async (url: string, method = 'GET', body?: string) => {
    const response = await request(url, { method: method as 'GET', dispatcher: mocks.dispatcher, ...(body !== undefined ? { body, headers: { 'content-type': 'application/json' } } : {}) });
    return `${response.statusCode} ${await response.body.text()}`;
  };

  it('answers a list in turn, the last answer repeating, and starts again for the next test', async () => {
    mocks.use([{ url: 'https://api.example.com/*', respond: [{ status: 503, body: 'busy' }, { json: { ok: true } }] }]);
    expect(await get('https://api.example.com/a')).toBe('503 busy');
    expect(await get('https://api.example.com/a')).toBe('200 {"ok":true}');
    expect(await get('https://api.example.com/b?x=1')).toBe('200 {"ok":true}');
    mocks.use([{ url: 'https://api.example.com/*', respond: [{ status: 503, body: 'busy' }, { json: { ok: true } }] }]);
    expect(await get('https://api.example.com/a')).toBe('503 busy');
  });

  it('records every request, and notes the ones no mock matches', async () => {
    transcript = new Transcript();
    mocks.use([{ url: 'https://api.example.com/x', method: 'POST', respond: { status: 201 } }]);
    expect(await get('https://api.example.com/x', 'POST', '{"a":1}')).toBe('201 ');
    expect(await get('https://elsewhere.example.org/x')).toMatch(/^599 /);
    expect(mocks.unmatched).toEqual([{ method: 'GET', url: 'https://elsewhere.example.org/x' }]);
    expect(transcript.unread(['request'])).toEqual([
      expect.objectContaining({ kind: 'request', method: 'POST', url: 'https://api.example.com/x', body: '{"a":1}', headers: expect.objectContaining({ 'content-type': 'application/json' }) }),
      expect.objectContaining({ kind: 'request', method: 'GET', url: 'https://elsewhere.example.org/x' }),
    ]);
  });

  it('matches URLs with * and, without ? in the pattern, ignores the query', () => {
    expect(urlMatches('https://a.example/*', 'https://a.example/b/c?d=1')).toBe(true);
    expect(urlMatches('https://a.example/b', 'https://a.example/b?d=1')).toBe(true);
    expect(urlMatches('https://a.example/b?d=2', 'https://a.example/b?d=1')).toBe(false);
    expect(urlMatches('https://a.example/b.c', 'https://a.example/bxc')).toBe(false);
  });
});
