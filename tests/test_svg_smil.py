"""SMIL animations cannot turn a published SVG's link into script."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from trainkit.writers.site.svg import sanitise

HEAD = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        ' xmlns:x="http://www.w3.org/1999/xlink">')


def _tags(svg: bytes) -> list[str]:
    return [el.tag.rsplit("}", 1)[-1] for el in ET.fromstring(svg).iter()]


@pytest.mark.parametrize("animation", [
    '<set attributeName="xlink:href" to="javascript:alert(1)"/>',
    '<set attributeName="x:href" to="https://example.org/"/>',
    '<set attributeName=" href " to="#a"/>',
    '<animate attributeName="href" values="#a;javascript:alert(2)"/>',
    '<animate attributeName="xlink:href" from="#a" to="#b" dur="1s"/>',
    '<animate attributeName="fill" values="red;javascript:alert(3)"/>',
    '<animate attributeName="fill" by="javascript:alert(4)"/>',
    '<animateTransform attributeName="href" from="javascript:alert(5)"/>',
    '<animateMotion attributeName="onclick" to="alert(6)"/>',
    '<set attributeName="onmouseover" to="alert(7)"/>',
    '<animate attributeName="xlink:href" values="&#x6A;avascript:alert(8)"/>',
    '<set attributeName="href" to=" java\tscript:alert(9)"/>',
])
def test_link_rewriting_animations_are_removed(animation: str) -> None:
    svg = f'{HEAD}<a href="#start">{animation}<text>click</text></a></svg>'.encode()
    out, removed = sanitise(svg)
    assert removed == 1
    assert _tags(out) == ["svg", "a", "text"]
    assert b"alert" not in out and b"javascript" not in out


def test_harmless_animations_stay() -> None:
    svg = (f'{HEAD}<circle r="4"><animate attributeName="r" values="4;8;4" dur="2s" '
           'repeatCount="indefinite"/><animateTransform attributeName="transform" '
           'type="rotate" from="0 5 5" to="360 5 5" dur="3s"/>'
           '<set attributeName="fill" to="red" begin="1s"/></circle></svg>').encode()
    out, removed = sanitise(svg)
    assert removed == 0
    assert _tags(out) == ["svg", "circle", "animate", "animateTransform", "set"]
