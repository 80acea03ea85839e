// The README's pom built and ran the calculator, and the runtime's log reached slf4j-simple.
def log = new File(basedir, 'build.log').text
assert new File(basedir, 'target/classes/org/onyxrpc/examples/calculator/CalculatorV1.class').isFile()
assert !log.contains('is no longer supported') : "compiled for an old Java: ${log}"
assert !log.contains('No SLF4J providers') : "no SLF4J provider: ${log}"
assert log =~ /INFO org\.onyxrpc\.server\.RpcServer - Onyx server on port \d+/ : "the runtime logged nothing: ${log}"
assert log.contains('client: add(2, 40) = 42') : log
assert log.contains('client: over UDP, add(-5, 3) = -2') : log
assert log.contains('server: shut down') : log

// The jars the project used name their Java modules (module-info is not written yet).
[['onyx-runtime', 'org.onyxrpc.runtime'], ['onyx-maven-plugin', 'org.onyxrpc.maven']].each { artifact, module ->
  def jar = new File(localRepositoryPath, "org/onyxrpc/${artifact}/${projectVersion}/${artifact}-${projectVersion}.jar")
  assert jar.isFile() : "missing ${jar}"
  def name = new java.util.jar.JarFile(jar).withCloseable { it.manifest.mainAttributes.getValue('Automatic-Module-Name') }
  assert name == module : "${jar.name}: Automatic-Module-Name ${name}"
}
return true
