"""The training walkthrough as plain data (Qt-free): sessions, steps, quiz scoring, presenter masking, codes.

`sipsight.gui.training` draws it; `sipsight summary --demo` shares its scenario -> query/context helpers.
"""
