"""Build the knowledge-base test corpus from hand-written templates.

``templates.txt`` holds, per product line, the topics a hotline sees (symptom, causes, steps in
Chinese and English); ``queries.txt`` the queries agents type, each naming the topics that
answer it. This script writes ``articles.json`` (every topic for every model, in both
languages, in one of three layouts: field list, prose or HTML) and ``queries.json`` (each query
with the ids of its relevant articles). ``generate`` makes any number of further articles from
the same templates for the benchmark.

    python -m tests.data.kb.make_corpus
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
LANGUAGES = ("zh", "en")


@dataclass
class Text:
    title: str = ""
    symptom: str = ""
    causes: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)


@dataclass
class Topic:
    key: str
    tags: dict[str, list[str]]
    text: dict[str, Text]


@dataclass
class ProductLine:
    code: str
    name: dict[str, str]
    models: list[str]
    kind: str
    topics: list[Topic] = field(default_factory=list)


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(",") if part.strip()]


def load_templates(path: Path = HERE / "templates.txt") -> list[ProductLine]:
    lines: list[ProductLine] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("== "):
            code, zh, en, models, kind = (cell.strip() for cell in line[3:].split("|"))
            lines.append(ProductLine(code, {"zh": zh, "en": en}, _split(models), kind))
        elif line.startswith("-- "):
            key, tags_zh, tags_en = (cell.strip() for cell in line[3:].split("|"))
            topic = Topic(key, {"zh": _split(tags_zh), "en": _split(tags_en)},
                          {"zh": Text(), "en": Text()})  # fmt: skip
            lines[-1].topics.append(topic)
        else:
            head, value = line.split(":", 1)
            language, part = head.split(".")
            text = lines[-1].topics[-1].text[language]
            value = value.strip()
            if part == "cause":
                text.causes.append(value)
            elif part == "step":
                text.steps.append(value)
            else:
                setattr(text, part, value)
    return lines


CLOSINGS = {
    ("medical", "zh"): [
        "涉及患者安全时，请先让临床改用备用设备，再继续排查。",
        "以上步骤无效时，请记录设备序列号和报警代码，转二线工程师处理。",
        "设备送修前请按院感要求完成清洁消毒，并附上故障描述。",
    ],
    ("medical", "en"): [
        "Where patient safety is involved, ask the ward to switch to a spare device before "
        "troubleshooting further.",
        "If these steps do not help, note the serial number and the alarm code and pass the call "
        "to second-line engineering.",
        "Before the device is sent for repair it must be cleaned and disinfected; attach a "
        "description of the fault.",
    ],
    ("device", "zh"): [
        "以上方法无效时，请客户提供购买凭证和机身序列号，安排售后服务。",
        "保修期内的设备可免费上门维修，超出保修期请先告知客户检测费用。",
        "建议客户拍下故障现象的照片或视频，方便工程师判断。",
    ],
    ("device", "en"): [
        "If none of this works, take the proof of purchase and serial number and arrange service.",
        "Devices under warranty get a free home repair; out of warranty, quote the inspection fee "
        "first.",
        "Ask the customer for a photo or short video of the fault for the engineer.",
    ],
    ("software", "zh"): [
        "如问题影响整个科室，请按信息系统故障应急预案上报。",
        "联系信息科时请提供工号、电脑编号和错误截图。",
    ],
    ("software", "en"): [
        "If the whole department is affected, report it under the IT incident plan.",
        "When calling IT give the staff ID, the PC asset number and a screenshot of the error.",
    ],
}
INTROS = {
    "zh": ["客户来电反映：", "用户反馈：", "", "常见来电："],
    "en": ["Callers report: ", "", "Typical call: ", "Customer says: "],
}
# Sentences any article of the kind may carry; the benchmark adds them to vary lengths.
FILLERS = {
    "zh": [
        "通话中请先核实客户身份和设备序列号。",
        "处理完成后请在工单中记录处理结果。",
        "如客户情绪激动，请先安抚并说明后续安排。",
        "本文适用于当前在售的全部软件版本。",
        "操作前请确认设备已断开与患者的连接或处于安全状态。",
        "必要时可邀请客户进行远程视频协助。",
    ],
    "en": [
        "Confirm the caller's identity and the serial number before you start.",
        "Record the outcome in the ticket when you are done.",
        "If the caller is upset, acknowledge it and explain what happens next.",
        "This applies to every software version currently on sale.",
        "Make sure the device is disconnected from the patient or otherwise safe first.",
        "A remote video session can help when the caller cannot describe the fault.",
    ],
}


def _title(product: ProductLine, text: Text, language: str, model: str, variant: int) -> str:
    if "{model}" in text.title:
        return text.title.replace("{model}", model)
    if variant == 0:
        return text.title
    return f"{text.title}（{model}）" if language == "zh" else f"{text.title} ({model})"


def _body(
    product: ProductLine,
    text: Text,
    language: str,
    model: str,
    style: int,
    rng: random.Random,
    fillers: int = 0,
) -> str:
    causes = text.causes[:]
    rng.shuffle(causes)
    closing = rng.choice(CLOSINGS[(product.kind, language)])
    intro = rng.choice(INTROS[language])
    extra = rng.sample(FILLERS[language], k=min(fillers, len(FILLERS[language])))
    name = product.name[language]
    zh = language == "zh"
    symptom = text.symptom.replace("{model}", model)
    steps = [step.replace("{model}", model) for step in text.steps]
    numbered = "\n".join(f"{n}. {step}{'。' if zh else '.'}" for n, step in enumerate(steps, 1))
    if style == 0:
        if zh:
            return (f"适用机型：{name} {model}\n现象：{intro}{symptom}。\n可能原因：\n"
                    + "".join(f"- {cause}\n" for cause in causes)
                    + f"处理步骤：\n{numbered}\n" + "".join(extra) + closing)  # fmt: skip
        return (f"Applies to: {name} {model}\nSymptom: {intro}{symptom}.\nPossible causes:\n"
                + "".join(f"- {cause[0].upper()}{cause[1:]}.\n" for cause in causes)
                + f"What to do:\n{numbered}\n" + " ".join([*extra, closing]))  # fmt: skip
    if style == 1:
        if zh:
            reasons = "，也可能是".join(causes)
            return (f"{intro}{name}（{model}）{symptom}。这种情况通常是因为{reasons}。"
                    f"请按以下步骤处理：\n{numbered}\n" + "".join(extra) + closing)  # fmt: skip
        reasons = ", or ".join(causes)
        return (f"{name.capitalize()} {model}. {intro}{symptom}. Usually this is because "
                f"{reasons}. Work through these steps:\n{numbered}\n"
                + " ".join([*extra, closing]))  # fmt: skip
    heads = ("问题描述", "原因", "解决方法") if zh else ("Problem", "Cause", "Solution")
    return (
        f"<h3>{heads[0]}</h3><p>{intro}{symptom}{'。' if zh else '.'} ({model})</p>"
        f"<h3>{heads[1]}</h3><ul>" + "".join(f"<li>{cause}</li>" for cause in causes) + "</ul>"
        f"<h3>{heads[2]}</h3><ol>"
        + "".join(f"<li>{step}</li>" for step in steps)
        + "</ol>"
        + "".join(f"<p>{sentence}</p>" for sentence in extra)
        + f"<p>{closing}</p>"
    )


def corpus() -> tuple[list[dict[str, Any]], dict[tuple[str, str], list[int]]]:
    """The test corpus and, per (topic, language), the ids of its articles."""
    rng = random.Random(20261201)
    articles: list[dict[str, Any]] = []
    by_topic: dict[tuple[str, str], list[int]] = {}
    next_id = 1001
    for product in load_templates():
        for number, topic in enumerate(product.topics):
            for variant, model in enumerate(product.models):
                for language in LANGUAGES:
                    text = topic.text[language]
                    style = (number + variant + (language == "en")) % 3
                    articles.append({
                        "id": next_id,
                        "title": _title(product, text, language, model, variant),
                        "body": _body(product, text, language, model, style, rng),
                        "tags": topic.tags[language],
                        "product_line": product.code,
                        "language": language,
                        "version": 1,
                    })  # fmt: skip
                    by_topic.setdefault((topic.key, language), []).append(next_id)
                    next_id += 1
    return articles, by_topic


def queries(by_topic: dict[tuple[str, str], list[int]]) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    for raw in (HERE / "queries.txt").read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        text, keys, language, *rest = (cell.strip() for cell in raw.split("|"))
        languages = LANGUAGES if language == "any" else (language,)
        expected = sorted(
            article_id
            for key in _split(keys)
            for lang in languages
            for article_id in by_topic[(key, lang)]
        )
        filters = dict(pair.split("=", 1) for pair in _split(rest[0])) if rest else {}
        result.append({"query": text, "expected": expected, "filters": filters})
    return result


def generate(count: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """``count`` further articles from the templates: new models, layouts and filler text."""
    rng = random.Random(seed)
    pool = [(product, topic) for product in load_templates() for topic in product.topics]
    for n in range(count):
        product, topic = pool[n % len(pool)]
        language = LANGUAGES[(n // len(pool)) % 2]
        prefix = product.models[0].split("-")[0].split(" ")[0]
        model = f"{prefix}-{rng.randint(100, 9999)}"
        text = topic.text[language]
        yield {
            "id": n + 1,
            "title": _title(product, text, language, model, 1),
            "body": _body(
                product, text, language, model, rng.randrange(3), rng, fillers=rng.randint(0, 4)
            ),
            "tags": topic.tags[language],
            "product_line": product.code,
            "language": language,
            "version": 1,
        }


def main() -> None:
    articles, by_topic = corpus()
    (HERE / "articles.json").write_text(
        json.dumps(articles, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    (HERE / "queries.json").write_text(
        json.dumps(queries(by_topic), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
