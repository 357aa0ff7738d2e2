// The Microsoft Teams app package (packages/server/embed/teams): what Teams refuses at upload —
// the v1.16+ manifest's required fields and their limits, and the icons' exact sizes and kinds —
// checked without Teams, from the files as shipped.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { inflateSync } from 'node:zlib';

const DIR = fileURLToPath(new URL('../embed/teams/', import.meta.url));
const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as Record<string, unknown>;

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

function obj(value: unknown, what: string): Record<string, unknown> {
  assert.equal(typeof value, 'object', `${what} must be an object`);
  assert.notEqual(value, null, `${what} must be an object`);
  return value as Record<string, unknown>;
}

function str(value: unknown, what: string, max: number): string {
  assert.equal(typeof value, 'string', `${what} must be a string`);
  const s = value as string;
  assert.ok(s.length > 0 && s.length <= max, `${what} must be 1 to ${max} characters (is ${s.length})`);
  return s;
}

function httpsUrl(value: unknown, what: string): URL {
  const url = new URL(str(value, what, 2048));
  assert.equal(url.protocol, 'https:', `${what} must be https`);
  return url;
}

/** Width, height, colour type and the decoded RGBA rows of a non-interlaced 8-bit PNG. */
function readPng(file: string): { width: number; height: number; colorType: number; pixels: Buffer } {
  const data = readFileSync(file);
  assert.deepEqual([...data.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${file} is not a PNG`);
  let offset = 8;
  let ihdr: Buffer | undefined;
  const idat: Buffer[] = [];
  while (offset < data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') ihdr = body;
    if (type === 'IDAT') idat.push(body);
    offset += 12 + length;
  }
  assert.ok(ihdr, `${file} has no IHDR`);
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const colorType = ihdr[9] ?? -1;
  return { width, height, colorType, pixels: inflateSync(Buffer.concat(idat)) };
}

describe('Teams app package', () => {
  it('has the manifest fields Teams requires (schema v1.16 or later), within their limits', () => {
    const version = str(manifest['manifestVersion'], 'manifestVersion', 16);
    const [major, minor] = version.split('.').map(Number) as [number, number];
    assert.ok(major === 1 && minor >= 16, `manifestVersion ${version} must be 1.16 or later`);
    assert.equal(manifest['$schema'], `https://developer.microsoft.com/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`);
    assert.match(str(manifest['version'], 'version', 256), SEMVER);
    assert.match(str(manifest['id'], 'id', 36), GUID);

    const developer = obj(manifest['developer'], 'developer');
    str(developer['name'], 'developer.name', 32);
    for (const field of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) httpsUrl(developer[field], `developer.${field}`);

    const name = obj(manifest['name'], 'name');
    str(name['short'], 'name.short', 30);
    if (name['full'] !== undefined) str(name['full'], 'name.full', 100);
    const description = obj(manifest['description'], 'description');
    str(description['short'], 'description.short', 80);
    str(description['full'], 'description.full', 4000);
    assert.match(str(manifest['accentColor'], 'accentColor', 7), /^#[0-9a-fA-F]{6}$/);
    const icons = obj(manifest['icons'], 'icons');
    assert.equal(icons['color'], 'color.png');
    assert.equal(icons['outline'], 'outline.png');
  });

  it('has one personal static tab on an https page of a valid domain', () => {
    const tabs = manifest['staticTabs'];
    assert.ok(Array.isArray(tabs) && tabs.length === 1, 'one static tab');
    const tab = obj(tabs[0], 'staticTabs[0]');
    str(tab['entityId'], 'staticTabs[0].entityId', 64);
    str(tab['name'], 'staticTabs[0].name', 128);
    assert.deepEqual(tab['scopes'], ['personal']);
    const content = httpsUrl(tab['contentUrl'], 'staticTabs[0].contentUrl');
    // The host's page signs a fresh URL: the manifest must never carry a signed embed URL itself.
    assert.doesNotMatch(content.href, /token=|\/embed\//);
    const domains = manifest['validDomains'];
    assert.ok(Array.isArray(domains) && domains.includes(content.host), 'contentUrl\'s host is a valid domain');
    const sso = obj(manifest['webApplicationInfo'], 'webApplicationInfo');
    assert.match(str(sso['id'], 'webApplicationInfo.id', 36), GUID);
    str(sso['resource'], 'webApplicationInfo.resource', 2048);
  });

  it('ships a 192 × 192 colour icon and a 32 × 32 outline icon, white on transparent', () => {
    const color = readPng(join(DIR, 'color.png'));
    assert.deepEqual([color.width, color.height], [192, 192]);
    const outline = readPng(join(DIR, 'outline.png'));
    assert.deepEqual([outline.width, outline.height], [32, 32]);
    assert.equal(outline.colorType, 6, 'the outline icon has an alpha channel (RGBA)');
    // Every row starts with its filter byte; ours are written unfiltered (0), so pixels read directly.
    const row = 1 + outline.width * 4;
    let opaque = 0;
    for (let y = 0; y < outline.height; y += 1) {
      assert.equal(outline.pixels[y * row], 0, 'unfiltered rows');
      for (let x = 0; x < outline.width; x += 1) {
        const [r, g, b, a] = outline.pixels.subarray(y * row + 1 + x * 4, y * row + 5 + x * 4);
        if (a === 0) continue;
        opaque += 1;
        assert.deepEqual([r, g, b], [255, 255, 255], `outline pixel ${x},${y} must be white or transparent`);
      }
    }
    assert.ok(opaque > 0, 'the outline icon draws something');
    assert.ok(existsSync(join(DIR, 'README.md')));
  });
});
