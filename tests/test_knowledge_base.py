"""The knowledge base: reading five formats, chunking, re-adding, removing, re-opening
offline, cross-lingual search, the brand rules, the search tool and the offline intent."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import docx
import matplotlib
import pytest
from sqlalchemy import create_engine

from copilot.offline.intents import PlannerContext
from copilot.offline.intents.knowledge import (
    KNOWLEDGE_INTENT,
    read_knowledge_question,
    write_knowledge_answer,
)
from copilot.offline.question import read_question
from copilot.offline.values import ValueIndex
from copilot.tool_adapter import to_langchain_tool
from knowledge.documents import (
    STARTER_DIR,
    DocumentError,
    KnowledgeBase,
    brand_rules,
    ensure_starter_knowledge,
    read_sections,
    starter_files,
)
from knowledge.documents.chunking import MAX_CHARS, split_text
from knowledge.semantic import load_semantic_model
from tools.base import ToolContext, ToolError, ToolOutput
from tools.knowledge_search import search_knowledge

matplotlib.use("pdf")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class KnowledgeContext(ToolContext):
    """ToolContext with the knowledge base the Copilot will add to it."""

    knowledge: KnowledgeBase | None = None


def context(kb: KnowledgeBase | None) -> KnowledgeContext:
    return KnowledgeContext(
        engine=create_engine("sqlite://"), semantic_model=load_semantic_model(), knowledge=kb
    )


def starter_kb(tmp_path_factory: pytest.TempPathFactory, name: str) -> KnowledgeBase:
    kb = KnowledgeBase(tmp_path_factory.mktemp(name.replace(".", "_")))
    kb.add_file(STARTER_DIR / name, source=f"starter/{name}")
    return kb


@pytest.fixture(scope="module")
def english_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """Only the shipped English channel playbook: Chinese questions must find English text."""
    return starter_kb(tmp_path_factory, "channel_playbooks.en.md")


@pytest.fixture(scope="module")
def chinese_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """Only the shipped Chinese RFM playbook: English questions must find Chinese text."""
    return starter_kb(tmp_path_factory, "rfm_segment_playbook.zh.md")


# -- reading the five formats ------------------------------------------------------


def write_docx(path: Path) -> None:
    document = docx.Document()
    document.add_heading("Returns policy", level=1)
    document.add_paragraph("Customers may return unopened products within 30 days of delivery.")
    document.add_heading("Gift wrapping", level=2)
    document.add_paragraph("Gift wrapping is free for members during December.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Gold members"
    table.rows[0].cells[1].text = "free express shipping"
    document.save(str(path))


def write_pdf(path: Path) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    plt.rcParams["pdf.fonttype"] = 42  # TrueType text that pypdf can extract
    with PdfPages(path) as pdf:
        for line in (
            "Loyalty points expire after 24 months.",
            "Members earn double points in May.",
        ):
            figure = plt.figure()
            figure.text(0.1, 0.5, line)
            pdf.savefig(figure)
            plt.close(figure)


HTML = """<html><head><title>t</title><style>p {color: red}</style></head><body>
<nav>Home | Shop</nav>
<h1>Service promise</h1><p>We answer every message   within <b>two hours</b>.</p>
<h2>Delivery</h2><p>Orders ship from Hangzhou.</p><ul><li>Next-day delivery in Shanghai</li></ul>
<h4>Small print</h4><p>Remote areas take longer.</p>
<script>trackVisitor()</script></body></html>"""

MARKDOWN = """Intro before any heading.

# Store handbook

## Opening hours

The customer service team works from 09:00 to 21:00 every day.

### Holidays

During Spring Festival the team works from 10:00 to 16:00.

```
# not a heading inside code
```
"""


def test_markdown_sections_follow_the_headings(tmp_path: Path) -> None:
    path = tmp_path / "handbook.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    sections = read_sections(path)
    assert [(s.title, s.path) for s in sections] == [
        ("", ()),
        ("Opening hours", ("Store handbook", "Opening hours")),
        ("Holidays", ("Store handbook", "Opening hours", "Holidays")),
    ]
    assert "# not a heading inside code" in sections[2].text


def test_html_keeps_h1_to_h3_as_sections_and_drops_scripts(tmp_path: Path) -> None:
    path = tmp_path / "service.html"
    path.write_text(HTML, encoding="utf-8")
    sections = read_sections(path)
    assert [s.title for s in sections] == ["Service promise", "Delivery"]
    assert sections[0].text == "We answer every message within two hours."
    assert "Next-day delivery in Shanghai" in sections[1].text
    assert "Small print" in sections[1].text and "Remote areas take longer." in sections[1].text
    everything = " ".join(s.text for s in sections)
    assert "trackVisitor" not in everything and "color: red" not in everything
    assert "Home | Shop" not in everything


def test_docx_sections_at_heading_styles_with_tables(tmp_path: Path) -> None:
    path = tmp_path / "policy.docx"
    write_docx(path)
    sections = read_sections(path)
    assert [(s.title, s.path) for s in sections] == [
        ("Returns policy", ("Returns policy",)),
        ("Gift wrapping", ("Returns policy", "Gift wrapping")),
    ]
    assert sections[0].text == "Customers may return unopened products within 30 days of delivery."
    assert "Gold members | free express shipping" in sections[1].text


def test_pdf_has_one_section_per_page(tmp_path: Path) -> None:
    path = tmp_path / "loyalty.pdf"
    write_pdf(path)
    sections = read_sections(path)
    assert [s.title for s in sections] == ["page 1", "page 2"]
    assert sections[0].text == "Loyalty points expire after 24 months."
    assert sections[1].text == "Members earn double points in May."


def test_plain_text_in_gbk_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    text = "会员日每月十八号，全场包邮。请提前准备库存，并通知客服团队做好准备。"
    path.write_bytes(text.encode("gbk"))
    assert [(s.title, s.text) for s in read_sections(path)] == [("", text)]


def test_unsupported_and_unreadable_files_are_named(tmp_path: Path) -> None:
    sheet = tmp_path / "prices.xlsx"
    sheet.write_bytes(b"PK\x03\x04")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"this is not a pdf")
    with pytest.raises(DocumentError, match=r"prices\.xlsx: unsupported file type"):
        read_sections(sheet)
    with pytest.raises(DocumentError, match=r"broken\.pdf"):
        read_sections(broken)
    with pytest.raises(DocumentError, match=r"missing\.md"):
        KnowledgeBase(tmp_path / "kb").add(tmp_path / "missing.md")


# -- chunking ----------------------------------------------------------------------


def test_long_sections_split_at_paragraphs_within_the_size() -> None:
    paragraphs = [
        (f"Paragraph {i}: " + "the offer applies to members. " * (3 + i % 9)).strip()
        for i in range(14)
    ]
    chunks = split_text("\n\n".join(paragraphs))
    assert len(chunks) > 3
    assert all(len(c) <= MAX_CHARS for c in chunks)
    pieces = [p for c in chunks for p in c.split("\n\n")]
    # Every paragraph is kept whole, in order; repeats are the overlap between chunks.
    assert list(dict.fromkeys(pieces)) == paragraphs
    assert len(pieces) > len(paragraphs)


def test_chinese_chunks_stay_inside_the_model_window() -> None:
    sentence = "悦享生活会员可以在每月十八号领取专属优惠券，优惠券七天内有效。"
    chunks = split_text(sentence * 60)
    assert len(chunks) > 1
    # A CJK character counts twice: at most 400 of them per chunk.
    assert all(len(_CJK.findall(c)) <= MAX_CHARS // 2 for c in chunks)
    assert "".join(chunks) == sentence * 60


# -- the store ---------------------------------------------------------------------


def test_folder_ingestion_of_every_format(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "nested").mkdir(parents=True)
    (docs / "handbook.md").write_text(MARKDOWN, encoding="utf-8")
    (docs / "nested" / "service.html").write_text(HTML, encoding="utf-8")
    write_docx(docs / "nested" / "policy.docx")
    write_pdf(docs / "loyalty.pdf")
    (docs / "notes.txt").write_text("Member day is the 18th of every month.", encoding="utf-8")
    (docs / "prices.xlsx").write_bytes(b"PK\x03\x04")
    (docs / "broken.pdf").write_bytes(b"not a pdf")
    (docs / ".hidden.md").write_text("# secret", encoding="utf-8")
    calls: list[tuple[str, float]] = []
    kb = KnowledgeBase(tmp_path / "kb")

    report = kb.add(docs, progress=lambda stage, fraction: calls.append((stage, fraction)))

    expected = {
        docs / "handbook.md": 3,
        docs / "nested" / "service.html": 2,
        docs / "nested" / "policy.docx": 2,
        docs / "loyalty.pdf": 2,
        docs / "notes.txt": 1,
    }
    assert sorted(report.added) == sorted(str(p.resolve()) for p in expected)
    assert report.unsupported == [str(docs / "prices.xlsx")]
    assert list(report.failed) == [str(docs / "broken.pdf")]
    listed = {info.source: info for info in kb.list()}
    assert {s: i.chunks for s, i in listed.items()} == {
        str(p.resolve()): n for p, n in expected.items()
    }
    for path in expected:
        info = listed[str(path.resolve())]
        assert info.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert calls[-1] == ("done", 1.0)
    fractions = [f for _, f in calls]
    assert fractions == sorted(fractions) and 0 <= fractions[0] < 0.2

    top = kb.search("When do loyalty points expire?", k=1)[0]
    assert (top.file_name, top.section) == ("loyalty.pdf", "page 1")
    top = kb.search("Can I send back a product I do not want?", k=1)[0]
    assert (top.file_name, top.section) == ("policy.docx", "Returns policy")
    assert top.citation == "policy.docx § Returns policy"


def test_re_adding_skips_unchanged_and_replaces_changed(tmp_path: Path) -> None:
    path = tmp_path / "offers.md"
    path.write_text("# Offers\n\nMembers get a birthday coupon of ¥30.\n", encoding="utf-8")
    kb = KnowledgeBase(tmp_path / "kb")
    source = str(path.resolve())
    assert kb.add(path).added == [source]

    again = kb.add([path])
    assert again.skipped == [source] and again.chunks == 0 and not again.added

    path.write_text(
        "# Offers\n\nMembers get free shipping all year.\n\n## Referrals\n\nInvite a friend.\n",
        encoding="utf-8",
    )
    changed = kb.add(path)
    assert changed.updated == [source] and changed.chunks == 2
    [info] = kb.list()
    assert info.chunks == 2
    assert info.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    texts = [p.text for p in kb.search("birthday coupon", k=5)]
    assert len(texts) == 2 and not any("birthday" in t for t in texts)

    assert kb.remove(source) == 2
    assert kb.list() == [] and kb.search("free shipping") == []
    with pytest.raises(DocumentError, match="no such document"):
        kb.remove(source)


REOPEN_SCRIPT = textwrap.dedent(
    """
    import json, socket, sys

    real_connect = socket.socket.connect

    def loopback_only(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if self.family in (socket.AF_INET, socket.AF_INET6) and host not in (
            "127.0.0.1", "::1", "localhost"
        ):
            raise OSError(f"network is off in this test: {address}")
        return real_connect(self, address)

    socket.socket.connect = loopback_only
    socket.create_connection = lambda *a, **k: (_ for _ in ()).throw(OSError("network is off"))

    import chromadb
    from chromadb.config import Settings
    from knowledge.documents import E5EmbeddingFunction, KnowledgeBase

    kb = KnowledgeBase(sys.argv[1])
    hits = kb.search("When do loyalty points expire?", k=1)
    # Even a plain Chroma client embeds with our function, rebuilt from the stored config,
    # instead of its ONNX default (which would try to download a model).
    plain = chromadb.PersistentClient(sys.argv[1], Settings(anonymized_telemetry=False))
    collection = plain.get_collection("documents")
    function = collection.configuration["embedding_function"]
    plain_hits = collection.query(query_texts=["When do loyalty points expire?"], n_results=1)
    print(json.dumps({
        "documents": [d.source for d in kb.list()],
        "top": [hits[0].text, hits[0].score],
        "plain_top": plain_hits["documents"][0][0],
        "function": type(function).__name__,
        "is_e5": isinstance(function, E5EmbeddingFunction),
    }))
    """
)


def test_persisted_knowledge_reopens_in_a_new_process_without_network(tmp_path: Path) -> None:
    notes = tmp_path / "loyalty.md"
    notes.write_text("# Points\n\nLoyalty points expire after 24 months.\n", encoding="utf-8")
    kb = KnowledgeBase(tmp_path / "kb")
    kb.add(notes)
    here = kb.search("When do loyalty points expire?", k=1)[0]

    done = subprocess.run(
        [sys.executable, "-c", REOPEN_SCRIPT, str(tmp_path / "kb")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["documents"] == [str(notes.resolve())]
    assert result["top"][0] == here.text
    assert result["top"][1] == pytest.approx(here.score, abs=1e-3)
    assert result["is_e5"], result["function"]
    assert result["plain_top"] == here.text


# -- cross-lingual search over the shipped starter text -----------------------------


@pytest.mark.parametrize("question", ["短信最多可以多少个字？", "短信可以写多长？"])
def test_chinese_question_finds_the_english_sms_length_passage(
    english_kb: KnowledgeBase, question: str
) -> None:
    hits = english_kb.search(question, k=3)
    assert ("channel_playbooks.en.md", "SMS length limits") in [
        (h.file_name, h.section) for h in hits
    ]
    # The passage that answers it says how many characters an SMS holds.
    answer = next(h for h in hits if h.section == "SMS length limits")
    assert "70 characters" in answer.text and answer.language == "en"


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("What should we do with at-risk customers?", "流失风险（At Risk，R 1–2，F 3–4）"),
        ("Should we send SMS to hibernating customers?", "沉睡客户（Hibernating，R 1–2，F 1–2）"),
    ],
)
def test_english_question_finds_the_chinese_passage(
    chinese_kb: KnowledgeBase, question: str, section: str
) -> None:
    hits = chinese_kb.search(question, k=3)
    assert ("rfm_segment_playbook.zh.md", section) in [(h.file_name, h.section) for h in hits]
    assert {h.language for h in hits} == {"zh"}
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True) and all(-1 <= x <= 1 for x in scores)


def test_language_filter(english_kb: KnowledgeBase) -> None:
    assert english_kb.search("短信", k=5, language="zh") == []
    assert {h.language for h in english_kb.search("短信", k=5, language="en")} == {"en"}


# -- starter knowledge and brand rules ----------------------------------------------


def test_starter_files_come_in_english_and_chinese_pairs() -> None:
    names = [p.name for p in starter_files()]
    stems = {n.rsplit(".", 2)[0] for n in names}
    assert stems >= {"brand_guidelines", "channel_playbooks", "rfm_segment_playbook", "compliance"}
    assert sorted(names) == sorted(f"{s}.{lang}.md" for s in stems for lang in ("en", "zh"))
    for path in starter_files():
        sections = read_sections(path)
        assert len(sections) >= 5 and all(s.title for s in sections[1:])
        # The file's language is the language of its prose.
        share = len(_CJK.findall(path.read_text(encoding="utf-8"))) / path.stat().st_size
        assert (share > 0.1) == path.name.endswith(".zh.md")


def _bullets_under(heading: str, text: str) -> list[str]:
    body = text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return [line[2:] for line in body.splitlines() if line.startswith("- ")]


def test_brand_rules_parse_the_starter_guidelines() -> None:
    rules = brand_rules()
    raw = (STARTER_DIR / "brand_guidelines.en.md").read_text(encoding="utf-8")
    bullets = _bullets_under("Banned words", raw)
    assert rules.banned_words == [b.split(" — ")[0] for b in bullets]
    # The Advertising Law words and English claims of MARKETING.md are all there.
    law = {"最", "第一", "国家级", "最高级", "最佳", "100%", "best ever", "guaranteed", "#1"}
    assert law <= set(rules.banned_words)
    assert (rules.brand_name_en, rules.brand_name_zh) == ("Lumière Living", "悦享生活")
    assert rules.sms_signature == "【悦享生活】" and rules.sms_opt_out == "回T退订"
    assert "{unsubscribe_link}" in rules.unsubscribe_line_en
    assert "{unsubscribe_link}" in rules.unsubscribe_line_zh and "退订" in rules.unsubscribe_line_zh
    assert rules.reasons["cheap"].startswith("brand word")

    chinese = brand_rules(STARTER_DIR / "brand_guidelines.zh.md")
    assert chinese.banned_words == rules.banned_words
    assert (chinese.sms_signature, chinese.unsubscribe_line_en, chinese.email_sign_off_zh) == (
        rules.sms_signature,
        rules.unsubscribe_line_en,
        rules.email_sign_off_zh,
    )


def test_brand_rules_name_what_a_guidelines_file_lacks(tmp_path: Path) -> None:
    path = tmp_path / "ours.md"
    path.write_text("# Our brand\n\n## Banned words\n\n- cheap — no\n", encoding="utf-8")
    with pytest.raises(DocumentError, match=r"ours\.md: brand guidelines lack brand_name_en"):
        brand_rules(path)


def test_ensure_starter_knowledge_is_idempotent_and_drops_retired_files(tmp_path: Path) -> None:
    starter = tmp_path / "starter"
    starter.mkdir()
    (starter / "a.en.md").write_text("# A\n\n## Tone\n\nWarm and clear.\n", encoding="utf-8")
    (starter / "b.zh.md").write_text("# 乙\n\n## 语气\n\n温暖、清晰。\n", encoding="utf-8")
    kb = KnowledgeBase(tmp_path / "kb")
    first = ensure_starter_knowledge(kb, directory=starter)
    assert sorted(first.added) == ["starter/a.en.md", "starter/b.zh.md"]
    second = ensure_starter_knowledge(kb, directory=starter)
    assert second.skipped == ["starter/a.en.md", "starter/b.zh.md"] and second.chunks == 0
    (starter / "b.zh.md").unlink()
    ensure_starter_knowledge(kb, directory=starter)
    assert [d.source for d in kb.list()] == ["starter/a.en.md"]


# -- the tool and the offline intent ------------------------------------------------


def test_search_knowledge_tool_returns_cited_passages(english_kb: KnowledgeBase) -> None:
    output = search_knowledge(context(english_kb), "How long can an SMS be?", k=4)
    expected = english_kb.search("How long can an SMS be?", k=4)
    frame = output.artifacts[0].frame
    assert list(frame.columns) == ["source", "section", "text", "score"]
    assert frame["text"].tolist() == [p.text for p in expected]
    assert frame["source"].tolist() == ["channel_playbooks.en.md"] * 4
    assert [p["citation"] for p in output.data["passages"]] == [p.citation for p in expected]
    assert [p["source"] for p in output.data["passages"]] == ["starter/channel_playbooks.en.md"] * 4
    assert "(source: channel_playbooks.en.md § SMS length limits" in output.for_model

    # Asked to prefer Chinese, it falls back to English when no Chinese passage exists.
    fallback = search_knowledge(context(english_kb), "短信可以写多长？", k=2, language="zh")
    assert {p["language"] for p in fallback.data["passages"]} == {"en"}
    assert len(fallback.data["passages"]) == 2


def test_search_knowledge_without_a_knowledge_base_is_a_tool_error() -> None:
    with pytest.raises(ToolError, match="knowledge base is not available"):
        search_knowledge(context(None), "banned words")
    tool = to_langchain_tool(search_knowledge, context(None))
    content, output = tool.func(query="banned words")  # type: ignore[misc]
    assert output.data["error"] == "The knowledge base is not available"


KNOWLEDGE_QUESTIONS = [
    "What are our brand's banned words?",
    "How long can an SMS be?",
    "What should we do with at-risk customers?",
    "短信可以写多长？",
    "品牌语气是什么样的？",
    "对流失风险客户应该怎么做？",
    # The brand guide under another name, and a banned word said with "never".
    "Which phrases does the style guide say we must never print?",
    "品牌手册里哪些词绝对不能用",
    # A segment's playbook asked as its recommended move.
    "What is the suggested approach for Hibernating buyers?",
    "对重要挽留客户，建议的做法是什么？",
]
DATA_QUESTIONS = [
    "What was revenue last month?",
    "上个月的销售额是多少？",
    "How many customers are at risk?",
    "Top 5 cities by orders in the last 90 days",
    "多长时间没有购买的客户有多少？",
    "Segment my customers with RFM",
    "Write an SMS for at-risk customers following our brand guidelines",
    "按品牌规范帮我写一条短信",
]


@pytest.mark.parametrize("question", KNOWLEDGE_QUESTIONS)
def test_intent_reads_questions_about_rules(question: str) -> None:
    planner = PlannerContext(load_semantic_model())
    args = read_knowledge_question(read_question(question, ValueIndex()), planner)
    assert args == {"query": question, "k": 5}
    assert KNOWLEDGE_INTENT.tool == search_knowledge.__name__


@pytest.mark.parametrize("question", DATA_QUESTIONS)
def test_intent_leaves_data_questions_alone(question: str) -> None:
    planner = PlannerContext(load_semantic_model())
    assert read_knowledge_question(read_question(question, ValueIndex()), planner) is None


def test_intent_answers_cite_their_sources(
    english_kb: KnowledgeBase, chinese_kb: KnowledgeBase
) -> None:
    planner = PlannerContext(load_semantic_model())
    question = "短信最多可以多少个字？"
    args = read_knowledge_question(read_question(question, ValueIndex()), planner)
    assert args is not None
    answer = write_knowledge_answer(search_knowledge(context(english_kb), **args), "zh", planner)
    assert "（来源：channel_playbooks.en.md § SMS length limits）" in answer
    assert "70 characters" in answer and answer.startswith("知识库中的相关内容")

    question = "What should we do with at-risk customers?"
    args = read_knowledge_question(read_question(question, ValueIndex()), planner)
    assert args is not None
    output = search_knowledge(context(chinese_kb), **args)
    answer = write_knowledge_answer(output, "en", planner)
    assert "(source: rfm_segment_playbook.zh.md § 流失风险（At Risk" in answer
    # Every quoted line comes from a returned passage.
    quoted = [line[2:] for line in answer.splitlines() if line.startswith("> ")]
    texts = "\n".join(p["text"] for p in output.data["passages"])
    assert quoted and all(line.rstrip(" …") in texts for line in quoted)

    empty = ToolOutput(for_model="", data={"query": "x", "passages": []})
    assert "copilot knowledge add" in write_knowledge_answer(empty, "en", planner)
