"""policy-ie: Chinese policy news to a sourced cross-region dataset; the one import package.

Layers, each importing only those below it:

* :mod:`policy_ie.text` (the repository's ``policy_ie/text/``): the document model and the
  text layer;
* :mod:`policy_ie.extractors` (the repository's ``extractors/``): rule books, their engines
  and the trained model, each a function of one Document;
* :mod:`policy_ie.pipeline` (the repository's ``pipeline/``): the run, ingest, the dataset
  writers, the report and the command line.
"""
