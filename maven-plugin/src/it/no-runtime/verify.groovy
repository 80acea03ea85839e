// The build failed at the plugin, naming the missing dependency, before javac saw the generated code.
def log = new File(basedir, 'build.log').text
def expected = "Onyx: the Java generated into target/generated-sources/onyx needs org.onyxrpc:onyx-runtime:${projectVersion}, which is not among this project's dependencies: add it to <dependencies>"
assert log.contains(expected) : "missing from build.log: ${expected}\n${log}"
assert !log.contains('does not exist') : "javac ran: ${log}"
return true
