// onyx-runtime came through the bom, at the bom's version, and the calculator compiled against it.
def log = new File(basedir, 'build.log').text
assert new File(basedir, 'target/classes/org/onyxrpc/examples/calculator/CalculatorServer.class').isFile() : log
assert !log.contains("'dependencies.dependency.version' for org.onyxrpc") : log
return true
