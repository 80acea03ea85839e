// The project's sources are the calculator's own, copied from examples/ so that they cannot drift.
import java.nio.file.Files
import java.nio.file.StandardCopyOption

def root = basedir.toPath().resolve('../../../..').normalize()
def examples = root.resolve('examples/src/main')
def pkg = 'java/org/onyxrpc/examples/calculator'
def files = ['idl/calculator.idl'] + ['CalculatorServer', 'CalculatorClient', 'CalculatorDemo'].collect { "${pkg}/${it}.java" }
files += 'java/org/onyxrpc/examples/Endpoint.java' // --transport, which the three take
files += 'java/org/onyxrpc/examples/ExampleMain.java' // their mistakes told in one line
files.each { String file ->
  def from = examples.resolve(file)
  assert Files.isRegularFile(from) : "missing ${from}"
  def to = basedir.toPath().resolve('src/main').resolve(file)
  Files.createDirectories(to.parent)
  Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING)
}
return true
