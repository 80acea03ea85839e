// Both roots were compiled in one run, and the Java of each compiled against the other's; the
// mistyped third was warned of (it was silent: its files, had it had any, were never compiled).
def log = new File(basedir, 'build.log').text
assert log.contains('[WARNING] Onyx: <sourceDirectory> src/sharde/idl: no such directory') : log
assert log.contains('[INFO] Generated 2 Java files from 2 .idl files into target/generated-sources/onyx (2 written, 0 unchanged, 0 removed)') : log
assert new File(basedir, 'target/generated-sources/onyx/com/example/shared/Money.java').isFile()
assert new File(basedir, 'target/classes/com/example/app/FixedPrices.class').isFile()
return true
