"""Words the knowledge-base search ignores: both ends agree on them (the desk drops them from
queries; the server refuses them as synonyms, which would otherwise match every query)."""

from __future__ import annotations

import unicodedata


def encodable(text: str) -> str:
    """``text`` without lone surrogates (a broken paste, JSON's ``\\ud800``): SQLite and the
    segmenter take UTF-8 only, and one such character must not fail a whole search."""
    return text.encode("utf-8", "replace").decode("utf-8") if not text.isascii() else text


def fold(text: str) -> str:
    """As the search reads what agents type, and the server keeps synonyms: NFKC (full-width
    Ｅ－１７ is E-17), lower case."""
    return unicodedata.normalize("NFKC", encodable(text)).lower()


# Words an agent types that say nothing about the problem. Dropped from queries only: they are
# common enough to make an OR query touch most of the index and rank nothing.
# fmt: off
SEARCH_STOPWORDS = frozenset((
    "a", "an", "the", "is", "are", "was", "were", "be", "been", "am", "to", "of", "and", "or",
    "in", "on", "at", "for", "with", "from", "by", "as", "it", "its", "this", "that", "these",
    "those", "my", "our", "your", "his", "her", "their", "me", "we", "you", "i", "he", "she",
    "they", "do", "does", "did", "doing", "how", "what", "why", "when", "where", "which", "who",
    "can", "could", "should", "would", "will", "shall", "may", "might", "must", "please",
    "help", "there", "here", "then", "than", "so", "if", "about", "into", "after", "before",
    "up", "out", "off", "get", "got", "any", "some", "very", "just", "的", "了", "吗", "呢",
    "啊", "吧", "呀", "嘛", "哦", "么", "是", "在", "和", "与", "或", "及", "也", "都", "就",
    "还", "又", "很", "请问", "请", "一下", "怎么", "怎么办", "怎样", "如何", "什么", "为什么",
    "为何", "哪里", "哪个", "时候", "总是", "老是", "我", "我们", "你", "你们", "他", "她",
    "它", "这", "那", "这个", "那个", "有", "没有", "该", "要", "会", "能", "可以", "一直",
    "not", "won", "don", "doesn", "isn", "didn", "wasn", "aren", "couldn", "t", "s",
    # Negation and filler alone say nothing: 不 is in half the Chinese articles ("洗衣机不脱水"
    # ranked 20 articles on 不); the words around it carry the symptom.
    "不", "没", "别", "您", "您好", "你好", "喂", "嗯", "哎", "呃", "哈", "谢谢", "麻烦", "那个",
    "就是", "然后", "现在", "已经", "但是", "因为", "所以", "一个", "这样", "啥", "咋", "咋办",
    "啥意思", "意思", "怎么回事", "好的", "的话", "客户", "用户", "顾客", "您们", "一下子", "刚才",
    "今天", "昨天", "问题", "情况", "出现", "显示",
    # The same in a pasted English e-mail.
    "hi", "hello", "dear", "thanks", "thank", "regards", "sir", "madam", "kind", "best",
    "sincerely", "ok", "okay", "also", "still", "again", "now", "today", "yesterday", "since",
    "but", "because", "has", "have", "had", "no", "problem", "issue", "customer", "user",
    "shows", "showing", "says", "keeps", "keep", "one", "our", "us", "im", "ive", "m", "ve",
))
# fmt: on
