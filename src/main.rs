fn main() {
    println!("rasalint");
}
