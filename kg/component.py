"""What kg's spaCy components share: nothing of theirs to save with a pipeline."""


class Stateless:
    """A component rebuilt from kg's own resources (the lexicon, a model shipped in the package)
    whenever a pipeline is built: `nlp.to_disk` saves nothing for it, `nlp.from_disk` restores
    nothing, so a saved pipeline never carries a stale copy of the gazetteer."""

    def to_disk(self, path, *, exclude=()):
        return None

    def from_disk(self, path, *, exclude=()):
        return self
