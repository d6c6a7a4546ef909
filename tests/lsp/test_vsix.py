"""The VS Code extension packages offline (vsce) into a .vsix holding what VS Code needs to run it.
usage: test_vsix.py BUILD_SH BUILD_DIR"""
import subprocess
import sys
import zipfile

build_sh, build = sys.argv[1:3]
subprocess.run([build_sh, build, "--package"], check=True)
vsix = f"{build}/editors/vscode/camp.vsix"
names = set(zipfile.ZipFile(vsix).namelist())
want = ["extension/package.json", "extension/extension.js", "extension/language-configuration.json",
        "extension/syntaxes/camp.tmLanguage.json", "extension/node_modules/vscode-languageclient/package.json",
        "extension.vsixmanifest"]
missing = [w for w in want if w not in names]
dev = [n for n in names if "/node_modules/vscode-textmate/" in n or "/node_modules/@vscode/vsce/" in n]
print(f"{vsix}: {len(names)} files; missing {missing}; dev packages {len(dev)}")
ok = not missing and not dev
print(f"{int(ok)} passed, {int(not ok)} failed")
sys.exit(0 if ok else 1)
