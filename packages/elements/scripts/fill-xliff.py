#!/usr/bin/env python3
"""Fills missing <target>s of xliff/fr.xlf from scripts/fr.py. Placeholders {N} become the
source's own <x id="N" …/> elements, so lit-localize can put the expressions back."""
import re, sys, os
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from fr import FR
path = os.path.join(here, '..', 'xliff', 'fr.xlf')
s = open(path, encoding='utf-8').read()
missing = []
def fill(m):
    unit = m.group(0)
    if '<target>' in unit:
        return unit
    src = re.search(r'<source>(.*?)</source>', unit, re.S).group(1)
    xs = re.findall(r'<x id="(\d+)"[^>]*/>', src)
    xel = {i: re.search(r'<x id="%s"[^>]*/>' % i, src).group(0) for i in xs}
    key = re.sub(r'<x id="(\d+)"[^>]*/>', lambda mm: '{%s}' % mm.group(1), src)
    if key not in FR:
        missing.append(key)
        return unit
    target = re.sub(r'\{(\d+)\}', lambda mm: xel[mm.group(1)], FR[key])
    return unit.replace('</source>', '</source>\n  <target>%s</target>' % target)
s = re.sub(r'<trans-unit .*?</trans-unit>', fill, s, flags=re.S)
open(path, 'w', encoding='utf-8').write(s)
if missing:
    print('missing translations:', *missing, sep='\n  ')
    sys.exit(1)
print('fr.xlf complete')
