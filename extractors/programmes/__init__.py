"""Programmes: named models, mechanisms, campaigns and slogans of policy practice.

Finds the genre's programme names (quoted numeric slogans such as “五在村”, “十百千”工程,
“两不愁三保障”; quoted names followed by a kind word such as “红色引擎”工程; formulas such
as “党建+电商”; unquoted numeric slogans such as 五措并举), decides which one the article
is about (the headline) and what each stands for (its components). Matching runs on the
cleaned view; offsets are raw. Names in 《》 are documents, never programmes.

Whether a quoted phrase is a programme is decided from features of the phrase and its
context, all described in ``extractors/data/programmes.yaml``: numerals, a ``+`` formula, a
kind word after the quotes (or at the end of the name), a trigger verb before it, the shape of
an enumeration of short parallel phrases, and negative features (a clause of speech, a title
of a person, a catch-phrase, a single word).

Modules, rules first, then the engine; each imports only those listed before it:

* :mod:`.data`: the lexicon file, validated and compiled (:class:`ProgrammeData`);
* :mod:`.candidate`: the record passed between stages (:class:`Candidate`) and
  :func:`norm_name`, the key that merges mentions;
* :mod:`.name_parts`: the numerals and enumeration parts of a name;
* :mod:`.segment` (engine): jieba, asked only where a word can matter;
* :mod:`.slogan` (rules): what a name alone says: numeric slogan, clause of speech, its shape;
* :mod:`.memo` (engine): memo tables of those answers;
* :mod:`.scoring` (rules): the weight of each feature, the score of a candidate;
* :mod:`.candidates` (engine): quoted and unquoted candidates of a text, scored;
* :mod:`.title_quote` (rules): the quoted subject of a ``place：“name”claim`` title;
* :mod:`.headline` (rules): the programme the title or the opening presents;
* :mod:`.title_unquoted` (rules): unquoted names the title presents, a numeric slogan part of
  it the body brings in again, or a name the opening brings in with its kind;
* :mod:`.components` (rules): what a programme stands for (一是…二是…, definitions, lists);
* :mod:`.extractor`: the registered extractors ``programmes`` and ``documents``.

May import: :mod:`policy_ie.text` and :mod:`policy_ie.extractors.registry`. Importing the
package registers its extractors.
"""

from policy_ie.extractors.programmes.candidate import Candidate, norm_name
from policy_ie.extractors.programmes.candidates import quoted_candidates, unquoted_candidates
from policy_ie.extractors.programmes.data import ProgrammeData, load_data
from policy_ie.extractors.programmes.extractor import documents, extract, find_programmes
from policy_ie.extractors.programmes.name_parts import expected_counts, numeral_tokens, split_enumeration

__all__ = ["Candidate", "ProgrammeData", "documents", "expected_counts", "extract", "find_programmes",
           "load_data", "norm_name", "numeral_tokens", "quoted_candidates", "split_enumeration",
           "unquoted_candidates"]
