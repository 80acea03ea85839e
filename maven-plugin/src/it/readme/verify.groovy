// The README's pom built and ran the calculator, and the runtime's log reached slf4j-simple.
def log = new File(basedir, 'build.log').text
assert new File(basedir, 'target/classes/org/onyxrpc/examples/calculator/CalculatorV1.class').isFile()
assert !log.contains('is no longer supported') : "compiled for an old Java: ${log}"
assert !log.contains('No SLF4J providers') : "no SLF4J provider: ${log}"
assert log =~ /INFO org\.onyxrpc\.server\.RpcServer - Onyx server on port \d+/ : "the runtime logged nothing: ${log}"
assert log.contains('client: add(2, 40) = 42') : log
assert log.contains('client: over UDP, add(-5, 3) = -2') : log
assert log.contains('server: shut down') : log
return true
