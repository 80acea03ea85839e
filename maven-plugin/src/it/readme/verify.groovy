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
// An application on the module path, as the root README's Modules section says to write it: its
// module-info, compiled with the calculator's sources, then run over a Unix-domain socket, which
// only Netty's native epoll module (the README's --add-modules) makes possible.
def root = basedir.toPath().resolve('../../../..').normalize()
def readme = root.resolve('README.md').toFile().text
def block = (readme =~ /(?s)An application with a `module-info\.java`.*?```java\n(.*?)```/)
assert block.find() : 'README.md: no module-info block after "An application with a `module-info.java`"'
// The calculator's package is the IDL's; the examples' hand-written classes take Endpoint, from
// the package above it, and have default constructors: javac's lint is for the generated code.
def moduleInfo = block.group(1).replace('exports com.example.calculator;',
    'exports org.onyxrpc.examples.calculator; exports org.onyxrpc.examples;')
def modular = new File(basedir, 'target/modular')
def src = new File(modular, 'src')
src.mkdirs()
new File(src, 'module-info.java').text = moduleInfo
def sources = [new File(src, 'module-info.java')]
['src/main/java', 'target/generated-sources/onyx'].each { dir ->
  new File(basedir, dir).eachFileRecurse(groovy.io.FileType.FILES) { if (it.name.endsWith('.java')) sources << it }
}
def repo = new File(localRepositoryPath.toString())
def jars = []
repo.eachFileRecurse(groovy.io.FileType.FILES) { f ->
  def path = f.path.replace(File.separatorChar, '/' as char)
  if (f.name.endsWith('.jar') && !f.name.contains('-sources') && !f.name.contains('-tests')
      && (path.contains("/org/onyxrpc/onyx-runtime/${projectVersion}/") || path.contains('/io/netty/')
          || path.contains('/org/slf4j/slf4j-api/') || path.contains('/org/slf4j/slf4j-simple/'))) {
    jars << f
  }
}
// One version of each artifact: the newest the ITs' repository holds (the project's).
def byArtifact = jars.groupBy { it.parentFile.parentFile.name + (it.name.contains('linux-') ? it.name.replaceAll(/.*(linux-[^.]+)\.jar/, '$1') : '') }
def modulePath = byArtifact.values().collect { versions ->
  versions.max { a, b -> compareVersions(a.parentFile.name, b.parentFile.name) }
}.findAll { !it.name.contains('tcnative') }.join(File.pathSeparator)
def classes = new File(modular, 'classes')
def javac = javax.tools.ToolProvider.systemJavaCompiler
def out = new ByteArrayOutputStream()
int compiled = javac.run(null, out, out, (['-Xlint:all', '-Xlint:-requires-automatic,-requires-transitive-automatic,-missing-explicit-ctor', '-Werror', '--release', '17',
    '--module-path', modulePath, '-d', classes.path] + sources*.path) as String[])
assert compiled == 0 : "javac on the module path: ${out}"
def java = new File(System.getProperty('java.home'), 'bin/java').path
def arch = System.getProperty('os.arch') == 'aarch64' ? 'aarch_64' : 'x86_64'
def run = new ProcessBuilder(java, '--module-path', classes.path + File.pathSeparator + modulePath,
    '--add-modules', "io.netty.transport.epoll.linux.${arch}".toString(), '-m',
    'com.example.app/org.onyxrpc.examples.calculator.CalculatorDemo', '--transport', 'unix',
    '--at', '@onyx-readme-modular-' + ProcessHandle.current().pid()).redirectErrorStream(true).start()
def output = run.inputStream.text
assert run.waitFor() == 0 : output
assert output.contains('client: add(2, 40) = 42') : output
assert output =~ /INFO org\.onyxrpc\.server\.RpcServer - Onyx server on/ : "slf4j-simple was not found: ${output}"
return true

static int compareVersions(String a, String b) {
  def x = a.tokenize('.-'), y = b.tokenize('.-')
  for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
    int c = (x[i].isInteger() && y[i].isInteger()) ? (x[i] as int) <=> (y[i] as int) : x[i] <=> y[i]
    if (c != 0) return c
  }
  return x.size() <=> y.size()
}
