# lit configuration: compiler tests, each a .pt file (or a project directory test) with RUN
# lines checked by FileCheck.
import os
import lit.formats

config.name = "parseltongue"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".pt", ".test"]
config.excludes = ["inputs", "Inputs"]
config.test_source_root = os.path.dirname(__file__)

parsel = lit_config.params.get("parsel")
filecheck = lit_config.params.get("filecheck", "FileCheck")
if not parsel:
    lit_config.fatal("run lit with --param parsel=/path/to/parsel")
config.substitutions.append(("%parsel", parsel))
config.substitutions.append(("FileCheck", filecheck))
config.substitutions.append(("%not", "not"))
config.environment["NO_COLOR"] = "1"
for var in ["PATH", "HOME", "ASAN_OPTIONS", "UBSAN_OPTIONS"]:
    if var in os.environ:
        config.environment[var] = os.environ[var]
