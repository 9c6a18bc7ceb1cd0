"""The derivations: every formula of the book derived with SymPy, and the one registry.

Layer 1, beside :mod:`liqlearn.formulas`.  Each module here derives the formulas of
the module of the same name in :mod:`liqlearn.formulas` from the economic condition
and pairs each SymPy expression with its numeric twin; :mod:`.registry` collects
them into ``liqlearn.FORMULAS``.  SymPy is imported only when the registry is built.
"""
