"""The text layer, the bottom of policy-ie: the document model and what every stage reads.

:mod:`~policy_ie.text.document` holds the one data model (Document, its mention kinds,
Spans and Tokens, the cleaned view and its offset map); :mod:`~policy_ie.text.normalise`,
:mod:`~policy_ie.text.clean` and :mod:`~policy_ie.text.sentences` make the cleaned view and
its sentences.

May import: the standard library and third-party packages only, never another part of
policy-ie. Everything else imports it.
"""
