"""The Group Policy templates (installer/windows/policy): well-formed XML, one policy a key the
reader knows, under the key it reads, every string and presentation defined in both
languages (the Chinese in Chinese), and each choice one the desk accepts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from agent_desktop.config import check_value
from agent_desktop.policy import LOCK_KEY, POLICY_KEYS, REGISTRY_KEY

POLICY_DIR = Path(__file__).resolve().parents[2] / "installer" / "windows" / "policy"
NS = {"p": "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"}
LANGUAGES = ("en-US", "zh-CN")


def admx() -> ET.Element:
    return ET.parse(POLICY_DIR / "AgentWorkstation.admx").getroot()


def adml(language: str) -> ET.Element:
    return ET.parse(POLICY_DIR / language / "AgentWorkstation.adml").getroot()


def test_one_machine_policy_a_key_the_reader_knows() -> None:
    policies = admx().findall("p:policies/p:policy", NS)
    assert sorted(p.get("name", "") for p in policies) == sorted([*POLICY_KEYS, LOCK_KEY])
    for policy in policies:
        assert policy.get("class") == "Machine"
        assert policy.get("key") == REGISTRY_KEY
        (element,) = policy.findall("p:elements/*", NS)
        assert element.get("valueName") == policy.get("name")


def test_each_choice_is_one_the_desk_accepts() -> None:
    for policy in admx().findall("p:policies/p:policy", NS):
        name = policy.get("name", "")
        for value in policy.findall("p:elements/p:enum/p:item/p:value/p:string", NS):
            assert check_value(POLICY_KEYS[name], value.text) is None, (name, value.text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_and_presentation_is_defined(language: str) -> None:
    text = (POLICY_DIR / "AgentWorkstation.admx").read_text(encoding="utf-8")
    wanted_strings = set(re.findall(r"\$\(string\.(\w+)\)", text))
    wanted_presentations = set(re.findall(r"\$\(presentation\.(\w+)\)", text))
    root = adml(language)
    strings = {s.get("id"): s.text or "" for s in root.findall(".//p:stringTable/p:string", NS)}
    presentations = {p.get("id") for p in root.findall(".//p:presentationTable/p:presentation", NS)}
    assert wanted_strings <= set(strings)
    assert wanted_presentations == presentations
    # Each presentation's controls point at the policy's element ids.
    ids = {e.get("id") for e in admx().findall("p:policies/p:policy/p:elements/*", NS)}
    refs = {c.get("refId") for c in root.findall(".//p:presentation/*", NS)}
    assert refs == ids
    for name in [*POLICY_KEYS, LOCK_KEY]:
        assert REGISTRY_KEY + "\\" + name in strings[f"{name}_Help"]
    assert all(strings.values())
    if language == "zh-CN":  # in Chinese, but for the protocols' names
        cjk = re.compile(r"[\u4e00-\u9fff]")
        untranslated = {k for k, v in strings.items() if not cjk.search(v)}
        assert untranslated == {"SIP_TRANSPORT_udp", "SIP_TRANSPORT_tcp"}
