import { expect } from '@open-wc/testing';
import { render } from 'lit';
import { renderMarkdown, safeUrl } from './markdown.js';
import '../test-support/index.js';

function md(source: string): HTMLElement {
  const div = document.createElement('div');
  render(renderMarkdown(source), div);
  return div;
}

describe('renderMarkdown (safety)', () => {
  it('renders markup and script in user text as text, creating no element from it', () => {
    const src = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2"><b>bold?</b>';
    const div = md(src);
    expect(div.querySelector('script, img, b')).to.equal(null);
    expect(div.textContent).to.contain('<script>window.__pwned = 1</script>');
    expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('keeps links only for http, https and mailto', () => {
    const div = md('[a](javascript:alert(1)) [b](data:text/html,hi) [c](https://ok.example/x) [d](mailto:a@b.example) [e](vbscript:x)');
    const hrefs = [...div.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(hrefs).to.deep.equal(['https://ok.example/x', 'mailto:a@b.example']);
    expect(div.textContent).to.contain('[a](javascript:alert(1))');
  });

  it('does not let an attribute value break out of href', () => {
    const div = md('[x](https://ok.example/"onmouseover="alert(1))');
    const a = div.querySelector('a');
    expect(a?.getAttributeNames().sort()).to.deep.equal(['href', 'part', 'rel', 'target']);
  });

  it('safeUrl rejects relative and scriptable URLs', () => {
    expect(safeUrl('/relative')).to.equal(undefined);
    expect(safeUrl(' JaVaScRiPt:alert(1)')).to.equal(undefined);
    expect(safeUrl('https://menteo.dev')).to.equal('https://menteo.dev/');
  });

  it('marks opened links noopener and as user-generated content', () => {
    const div = md('see https://menteo.dev/docs.');
    const a = div.querySelector('a');
    // The sentence's full stop is not part of the bare URL.
    expect(a?.getAttribute('href')).to.equal('https://menteo.dev/docs');
    expect(a?.textContent).to.equal('https://menteo.dev/docs');
    expect(div.textContent).to.equal('see https://menteo.dev/docs.');
    expect(a?.getAttribute('rel')).to.equal('noopener noreferrer nofollow ugc');
  });
});

describe('renderMarkdown (formatting)', () => {
  it('renders emphasis, code, lists, quotes and fenced code', () => {
    const div = md('**Bold** and *it* and _also_ and `x<y`\n\n- one\n- two\n\n1. first\n\n> quoted\n\n```\n<div>\n```');
    expect(div.querySelector('strong')?.textContent).to.equal('Bold');
    expect([...div.querySelectorAll('em')].map((e) => e.textContent)).to.deep.equal(['it', 'also']);
    expect(div.querySelector('p code')?.textContent).to.equal('x<y');
    expect([...div.querySelectorAll('ul li')].map((e) => e.textContent)).to.deep.equal(['one', 'two']);
    expect(div.querySelector('ol li')?.textContent).to.equal('first');
    expect(div.querySelector('blockquote')?.textContent).to.equal('quoted');
    expect(div.querySelector('pre code')?.textContent).to.equal('<div>');
  });

  it('leaves arithmetic and snake_case words alone', () => {
    const div = md('2 * 3 * 4 and snake_case_name');
    expect(div.querySelector('em')).to.equal(null);
    expect(div.textContent).to.equal('2 * 3 * 4 and snake_case_name');
  });

  it('splits paragraphs on blank lines and keeps single line breaks', () => {
    const div = md('a\nb\n\nc');
    expect(div.querySelectorAll('p').length).to.equal(2);
    expect(div.querySelectorAll('br').length).to.equal(1);
  });
});
