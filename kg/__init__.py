"""kg: Chinese news about a region's digital economy, turned into a knowledge graph.

The pipeline, one module a stage: documents -> segmentation -> entities -> relations ->
resolution -> extraction records -> graph -> rdf / writers -> query; cli wires them for the shell.
"""

__version__ = "0.1.0"
