mod common;
#[test]
fn dump() {
    for r in [common::passing(), common::failing()] {
        for f in &r.results {
            println!("{} {}: {}", f.status, f.id, f.message);
            for e in &f.evidence { println!("    at {} found {:?} expected {:?}", e.location(), e.found, e.expected); }
            if let Some(fix) = &f.fix { println!("    fix: {fix}"); }
        }
        println!("{:#?}", r.names);
        for s in &r.steps { println!("{:?}", s); }
        println!("=========");
    }
}
